import Foundation

/// Finds the schema the way Prisma does when none is given.
public enum SchemaDiscovery {
    /// Candidates, in order: `package.json`'s `prisma.schema`, `./schema.prisma`,
    /// `./prisma/schema.prisma`, and the `./prisma/schema/` folder.
    public static func find(in directory: URL) -> String? {
        let fm = FileManager.default
        let pkg = directory.appendingPathComponent("package.json")
        if let data = fm.contents(atPath: pkg.path),
           let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let prisma = obj["prisma"] as? [String: Any], let schema = prisma["schema"] as? String {
            let url = URL(fileURLWithPath: schema, relativeTo: directory).standardizedFileURL
            if fm.fileExists(atPath: url.path) { return url.path }
        }
        for candidate in ["schema.prisma", "prisma/schema.prisma", "prisma/schema"] {
            let url = directory.appendingPathComponent(candidate)
            if fm.fileExists(atPath: url.path) { return url.path }
        }
        return nil
    }

    public static let searched = "package.json (prisma.schema), ./schema.prisma, ./prisma/schema.prisma, ./prisma/schema/"
}
