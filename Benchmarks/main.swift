import Core
import Foundation

// Benchmarks: `swift run -c release benchmarks [schema]`.
// Parse + validate throughput on the largest real schema and on synthetic schemas
// of growing size (cost per model must stay flat: linear growth).

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func measure(runs: Int, _ body: () -> Void) -> Double {
    body() // warm-up
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return median(times)
}

func synthetic(models n: Int) -> String {
    var s = "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n\nenum Status {\n  ACTIVE\n  ARCHIVED\n}\n"
    for i in 0..<n {
        let parent = i > 0 ? "M\(i - 1)" : nil
        s += "\n/// Model number \(i).\nmodel M\(i) {\n"
        s += "  id        Int      @id @default(autoincrement())\n"
        s += "  name      String   @db.VarChar(191)\n"
        s += "  email     String   @unique\n"
        s += "  status    Status   @default(ACTIVE)\n"
        s += "  createdAt DateTime @default(now())\n"
        s += "  updatedAt DateTime @updatedAt\n"
        if let parent {
            s += "  parent    \(parent)?  @relation(fields: [parentId], references: [id], onDelete: Cascade)\n"
            s += "  parentId  Int?\n"
        }
        if i + 1 < n { s += "  children  M\(i + 1)[]\n" }
        s += "\n  @@index([name, createdAt])\n}\n"
    }
    return s
}

func bench(label: String, text: String, runs: Int) -> Double {
    let source = SourceFile(path: "schema.prisma", text: text)
    var models = 0
    let ms = measure(runs: runs) {
        let c = CompiledSchema(sources: SourceSet(source))
        models = c.model.models.count
        precondition(!c.hasErrors, "\(label) has errors")
    }
    let mb = Double(source.bytes.count) / 1_000_000
    print(label.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: " %8d bytes %6d models  %9.3f ms  %7.2f MB/s  %6.2f µs/model",
                 source.bytes.count, models, ms, mb / (ms / 1000), ms * 1000 / Double(max(1, models))))
    return ms
}

let args = CommandLine.arguments.dropFirst()
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let realDir = root.deletingLastPathComponent().appendingPathComponent("shared/corpus/real")
let realFiles = ((try? FileManager.default.contentsOfDirectory(atPath: realDir.path)) ?? []).filter { $0.hasSuffix(".prisma") }
let largest = args.first ?? realFiles.map { realDir.appendingPathComponent($0).path }
    .max { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int ?? 0) ?? 0 < (try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int ?? 0) ?? 0 } ?? ""

print("parse + validate (median of runs, release build recommended)")
if let data = FileManager.default.contents(atPath: largest) {
    _ = bench(label: URL(fileURLWithPath: largest).lastPathComponent, text: String(decoding: data, as: UTF8.self), runs: 21)
}
var perModel: [(Int, Double)] = []
for n in [500, 1000, 2000, 5000] {
    let ms = bench(label: "synthetic \(n) models", text: synthetic(models: n), runs: n >= 5000 ? 5 : 9)
    perModel.append((n, ms / Double(n)))
}
if let first = perModel.first, let last = perModel.last {
    print(String(format: "linearity: cost per model at %d models / at %d models = %.2f (1.00 = perfectly linear)", last.0, first.0, last.1 / first.1))
}

// Emit: all generated files for the largest real schema (phases 04–12 in memory).
if let data = FileManager.default.contents(atPath: largest) {
    let compiled = CompiledSchema(sources: SourceSet(SourceFile(path: largest, text: String(decoding: data, as: UTF8.self))))
    var count = 0
    var bytes = 0
    let ms = measure(runs: 15) {
        let files = CodeGenerator.generateAll(compiled, projectName: "bench")
        count = files.count
        bytes = files.reduce(0) { $0 + $1.bytes }
    }
    print(String(format: "emit %@: %d files, %d KB in %.2f ms = %.0f files/s", URL(fileURLWithPath: largest).lastPathComponent, count, bytes / 1024, ms, Double(count) / (ms / 1000)))
}
