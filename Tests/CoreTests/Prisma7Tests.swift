import Foundation
import Testing
@testable import Core

/// Schemas written for Prisma 7 (its preview features, partial indexes) and the warnings Prisma
/// gives (emulated relations without an index, MongoDB joins across native types).
@Suite("Prisma 7 schemas and Prisma's warnings")
struct Prisma7Tests {
    func compile(_ text: String) -> CompiledSchema {
        CompiledSchema(sources: SourceSet(SourceFile(path: "schema.prisma", text: text)))
    }

    func schema(provider: String = "postgresql", features: [String], relationMode: String? = nil, _ models: String) -> String {
        """
        generator client {
          provider        = "prisma-client"
          output          = "./generated"
          previewFeatures = [\(features.map { "\"\($0)\"" }.joined(separator: ", "))]
        }

        datasource db {
          provider = "\(provider)"\(relationMode.map { "\n  relationMode = \"\($0)\"" } ?? "")
        }

        \(models)
        """
    }

    static let partial = """
    enum Status {
      ACTIVE
      ARCHIVED
    }

    model User {
      id        Int       @id @default(autoincrement())
      email     String    @unique(where: raw("\\"deletedAt\\" IS NULL"))
      handle    String
      status    Status
      published Boolean
      score     Int
      deletedAt DateTime?

      @@unique([handle], where: { deletedAt: null })
      @@index([email], where: {
        status: { not: ARCHIVED },
        published: true,
        score: 3
      })
    }
    """

    @Test("Prisma 7's preview features are accepted, in any case; stabilized ones warn as Prisma does; an unknown one lists partialIndexes")
    func previewFeatures() {
        let ok = compile(schema(features: ["partialIndexes", "VIEWS", "schemaEngineDriverAdapters", "typedSql", "shardKeys"], "model A {\n  id Int @id\n}\n"))
        #expect(ok.resolved().isEmpty, "\(ok.resolved().map(\.message))")
        // `VIEWS` enables views: a view needs no further flag.
        let view = compile(schema(features: ["VIEWS"], "view V {\n  id Int @unique\n}\n"))
        #expect(!view.hasErrors, "\(view.resolved().map(\.message))")

        let stabilized = compile(schema(features: ["driverAdapters", "queryCompiler", "multiSchema"], "model A {\n  id Int @id\n}\n"))
        #expect(!stabilized.hasErrors)
        #expect(stabilized.resolved().map(\.message) == ["driverAdapters", "queryCompiler", "multiSchema"].map {
            "Preview feature \"\($0)\" is deprecated. The functionality can be used without specifying it as a preview feature."
        })

        let unknown = compile(schema(provider: "mysql", features: ["partialIndex"], "model A {\n  id Int @id\n}\n"))
        #expect(unknown.resolved().map(\.message) == [
            "The preview feature \"partialIndex\" is not known. Expected one of: metrics, nativeDistinct, partialIndexes, postgresqlExtensions, relationJoins, schemaEngineDriverAdapters, shardKeys, strictUndefinedChecks, views",
        ])
    }

    @Test("partial indexes: raw SQL and object conditions on @unique, @@unique and @@index parse, validate, and leave no lookup key")
    func partialIndexes() throws {
        let c = compile(schema(features: ["partialIndexes"], Self.partial))
        #expect(c.resolved().isEmpty, "\(c.resolved().map(\.message))")
        let user = try #require(c.model.models.first)
        let conditions = user.indexes.compactMap { $0.condition?.text }
        #expect(conditions.count == 3)
        #expect(conditions.contains("{ deletedAt: null }"))
        #expect(conditions.contains(#"raw("\"deletedAt\" IS NULL")"#))
        // A partial unique holds for some rows only: the API looks rows up by the id alone.
        let plan = ApiPlan(schema: c.model)
        let api = try #require(plan.model("User"))
        #expect(api.uniqueCriteria.map { $0.fields.map(\.name) } == [["id"]])
    }

    @Test("partial indexes: the preview feature, the database and the condition's fields are checked")
    func partialIndexErrors() {
        func errors(_ text: String) -> [String] { compile(text).resolved().filter { $0.severity == .error }.map(\.message) }
        #expect(errors(schema(features: [], Self.partial)) == [
            "Error parsing attribute \"@unique\": Defining partial indexes requires enabling the `partialIndexes` preview feature",
            "Error parsing attribute \"@@unique\": Defining partial indexes requires enabling the `partialIndexes` preview feature",
            "Error parsing attribute \"@@index\": Defining partial indexes requires enabling the `partialIndexes` preview feature",
        ])
        #expect(errors(schema(provider: "mysql", features: ["partialIndexes"], Self.partial)).count == 3)
        let bad = Self.partial
            .replacingOccurrences(of: "deletedAt: null", with: "deletedAtt: null")
            .replacingOccurrences(of: "published: true", with: "published: 3")
            .replacingOccurrences(of: "score: 3", with: "score: \"x\"")
            .replacingOccurrences(of: "not: ARCHIVED", with: "not: GONE")
        #expect(errors(schema(features: ["partialIndexes"], bad)) == [
            "Error parsing attribute \"@@unique\": The `where` condition refers to the unknown field `deletedAtt` in model `User`.",
            "Error parsing attribute \"@@index\": The `where` condition compares the field `status` with literal value `GONE`; expected a value of enum `Status`.",
            "Error parsing attribute \"@@index\": The `where` condition compares the field `published` with numeric value `3`; expected `true` or `false`.",
            "Error parsing attribute \"@@index\": The `where` condition compares the field `score` with string value `\"x\"`; expected a number.",
        ])
        let required = Self.partial.replacingOccurrences(of: "deletedAt: null", with: "handle: null")
        #expect(errors(schema(features: ["partialIndexes"], required)).first?.contains("the field is required") == true)
    }

    @Test("relationMode prisma: a foreign key no index starts with gets Prisma's warning, at the @relation attribute")
    func missingRelationIndex() throws {
        let models = """
        model User {
          id    Int    @id
          posts Post[]
        }

        model Post {
          id     Int  @id
          userId Int
          user   User @relation(fields: [userId], references: [id])
        }
        """
        let warned = compile(schema(provider: "mysql", features: [], relationMode: "prisma", models)).resolved()
        #expect(warned.count == 1)
        let w = try #require(warned.first)
        #expect(w.severity == .warning)
        #expect(w.message.hasPrefix("With `relationMode = \"prisma\"`, no foreign keys are used"))
        #expect(w.line == 20 && w.column == 15)
        let indexed = models.replacingOccurrences(of: "  user   User @relation", with: "  @@index([userId, id])\n  user   User @relation")
        #expect(compile(schema(provider: "mysql", features: [], relationMode: "prisma", indexed)).resolved().isEmpty)
        // With foreign keys (the default), the database makes the index.
        #expect(compile(schema(provider: "mysql", features: [], models)).resolved().isEmpty)
    }

    @Test("MongoDB: a foreign key and the field it references with different native types get Prisma's warning")
    func mongoNativeTypes() throws {
        func warning(_ parentType: String, _ childType: String) -> String? {
            let models = """
            model Parent {
              id      String @id @default(auto()) @map("_id") @db.ObjectId
              childId String @unique\(parentType)
              child   Child? @relation(fields: [childId], references: [parentId])
            }

            model Child {
              id       String  @id @default(auto()) @map("_id") @db.ObjectId
              parentId String  @unique\(childType)
              parent   Parent?
            }
            """
            let all = compile(schema(provider: "mongodb", features: [], models)).resolved()
            #expect(!all.contains { $0.severity == .error }, "\(all.map(\.message))")
            return all.first?.message
        }
        #expect(warning(" @db.ObjectId", " @db.ObjectId") == nil)
        #expect(warning("", " @db.ObjectId")?.contains("Consider either removing Child.parentId's native type attribute or adding '@db.ObjectId' to Parent.childId.") == true)
        #expect(warning(" @db.ObjectId", "")?.contains("Consider either removing Parent.childId's native type attribute or adding '@db.ObjectId' to Child.parentId.") == true)
        #expect(warning(" @db.ObjectId", " @db.String")?.contains("Consider updating those fields to either use '@db.ObjectId' or '@db.String'.") == true)
    }
}
