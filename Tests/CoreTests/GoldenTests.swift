import Foundation
import Testing
@testable import Core

/// The fixture's key generated files, compared byte for byte with reviewed copies in
/// `Golden/shop/`. After an intended change: `UPDATE_GOLDEN=1 swift test --filter Golden`,
/// then review the diff.
@Suite("Golden generated files")
struct GoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/shop")
    static let keyFiles = [
        "src/contracts/person/person.read.dto.ts",
        "src/contracts/person/person.create.dto.ts",
        "src/validators/person/person.update.zod.ts",
        "src/validators/product/product.query.zod.ts",
        "src/services/order-line/order-line.service.ts",
        "src/services/product/product.service.ts",
        "src/controllers/order-line/order-line.controller.ts",
        "src/routes/person/person.routes.ts",
        "src/routes/api.ts",
        "src/contracts/enums.ts",
        "src/base/errors.ts",
        "vitest.config.ts",
        "tests/support.ts",
        "tests/person.test.ts",
        "tests/order-line.test.ts",
        "tests/factories/order-line.ts",
        "tests/product-stats.test.ts",
        "openapi.json",
    ]

    @Test("key files match the reviewed golden copies", arguments: keyFiles)
    func matchesGolden(_ path: String) throws {
        let files = try EmitterTests.generate(EmitterTests.fixtures.appendingPathComponent("shop.prisma"))
        let file = try #require(files.first { $0.path == path }, "not generated: \(path)")
        let url = Self.golden.appendingPathComponent(path)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(file.contents == expected, "\(path) differs from its golden copy")
    }
}
