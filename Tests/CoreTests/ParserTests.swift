import Foundation
import Testing
@testable import Core

@Suite("Parser and semantic model")
struct ParserTests {
    func compile(_ text: String, path: String = "schema.prisma") -> CompiledSchema {
        CompiledSchema(sources: SourceSet(SourceFile(path: path, text: text)))
    }

    static let blog = """
    datasource db {
      provider = "postgresql"
      url      = env("DATABASE_URL")
    }

    generator client {
      provider        = "prisma-client-js"
      previewFeatures = ["views"]
    }

    /// A person who writes.
    /// @service users
    model User {
      id        Int      @id @default(autoincrement())
      /// Login address.
      email     String   @unique @db.VarChar(191)
      role      Role     @default(USER)
      posts     Post[]
      profile   Profile?
      tags      Tag[]
      manager   User?    @relation("Reports", fields: [managerId], references: [id], onDelete: SetNull)
      managerId Int?
      reports   User[]   @relation("Reports")
      createdAt DateTime @default(now()) @map("created_at")
      meta      Json     @default("{\\"a\\": 1}")

      @@map("users")
      @@index([email(sort: Desc), createdAt])
    }

    model Profile {
      id     String @id @default(uuid())
      bio    String?
      user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)
      userId Int    @unique
    }

    model Post {
      id       BigInt  @id @default(autoincrement())
      title    String
      author   User    @relation(fields: [authorId], references: [id])
      authorId Int
      price    Decimal @default(9.99)
      blob     Bytes?
      odd      Unsupported("circle")?
    }

    model Tag {
      id    Int    @id
      name  String
      group String
      users User[]

      @@unique([name, group])
    }

    model Pair {
      a Int
      b Int

      @@id([a, b])
    }

    enum Role {
      USER
      ADMIN @map("admin")
    }

    view PostStats {
      authorId Int @unique
      count    Int
    }
    """

    @Test("a realistic schema resolves into models, relations and defaults")
    func resolvesModel() throws {
        let c = compile(Self.blog)
        #expect(c.diagnostics.errors.isEmpty, "\(c.resolved().map { $0.rendered() })")
        let m = c.model
        #expect(m.models.map(\.name) == ["User", "Profile", "Post", "Tag", "Pair", "PostStats"])
        #expect(m.provider == .postgresql)
        let user = try #require(m.model("User"))
        #expect(user.dbName == "users")
        #expect(user.documentation == "A person who writes.\n@service users")
        #expect(user.field("email")?.documentation == "Login address.")
        #expect(user.field("email")?.nativeType == NativeType(prefix: "db", name: "VarChar", arguments: ["191"]))
        #expect(user.field("id")?.defaultValue == .autoincrement)
        #expect(user.field("role")?.defaultValue == .literal(.enumValue("USER")))
        #expect(user.field("createdAt")?.defaultValue == .now)
        #expect(user.field("createdAt")?.dbName == "created_at")
        #expect(user.field("meta")?.defaultValue == .literal(.string("{\"a\": 1}")))
        #expect(user.primaryKey?.fieldNames == ["id"])
        #expect(user.indexes.first { $0.kind == .normal }?.fields.first?.sort == .desc)

        let profile = try #require(user.field("profile")?.relation)
        #expect(profile.kind == .oneToOne)
        #expect(profile.oppositeField == "user")
        let posts = try #require(user.field("posts")?.relation)
        #expect(posts.kind == .oneToMany)
        #expect(m.model("Post")?.field("author")?.relation?.fields == ["authorId"])
        let tags = try #require(user.field("tags")?.relation)
        #expect(tags.kind == .manyToMany)
        #expect(tags.name == "TagToUser")
        let manager = try #require(user.field("manager")?.relation)
        #expect(manager.oppositeModel == "User" && manager.oppositeField == "reports")
        #expect(manager.onDelete == .setNull)
        #expect(m.model("Pair")?.primaryKey?.fieldNames == ["a", "b"])
        #expect(m.model("Tag")?.uniqueIndexes.first?.fieldNames == ["name", "group"])
        #expect(m.model("Post")?.field("odd")?.type == .unsupported("circle"))
        #expect(m.model("PostStats")?.isView == true)
        #expect(m.enumType("Role")?.values.map(\.name) == ["USER", "ADMIN"])
        #expect(m.enumType("Role")?.values.last?.dbName == "admin")
    }

    @Test("every node keeps its source position")
    func spans() throws {
        let c = compile(Self.blog)
        let post = try #require(c.model.model("Post"))
        let lines = Self.blog.split(separator: "\n", omittingEmptySubsequences: false)
        let titleLine = try #require(lines.firstIndex { $0.hasPrefix("  title ") }) + 1
        let modelLine = try #require(lines.firstIndex { $0 == "model Post {" }) + 1
        let loc = c.sources.location(of: try #require(post.field("title")).span)
        #expect(loc == SourceLocation(line: titleLine, column: 3))
        #expect(c.sources.location(of: post.span) == SourceLocation(line: modelLine, column: 1))
    }

    @Test("one bad line does not hide the rest: every error of a stage is reported, and the next stage's once it has none (as Prisma)")
    func recovery() {
        let text = """
        model A {
          id Int @id
          ??? garbage
          name Strin
        }

        mdl B {
        }

        model C {
          id Int @id @default(cuid())
        }
        """
        func errorLines(_ text: String) -> [Int] { compile(text).resolved().filter { $0.severity == .error }.map(\.line) }
        // Every line that does not parse; what the other lines would give waits for them.
        #expect(errorLines(text) == [3, 7, 8])
        #expect(compile(text).model.model("C") != nil)
        // Parsed: the type no declaration has; then, that resolved, the default of the wrong type.
        let parsed = text.replacingOccurrences(of: "  ??? garbage\n", with: "").replacingOccurrences(of: "mdl B {\n}\n", with: "")
        #expect(errorLines(parsed) == [3])
        #expect(errorLines(parsed.replacingOccurrences(of: "Strin", with: "String")) == [8])
    }

    @Test("diagnostics render as file:line:col with the source line and a caret")
    func rendering() {
        let c = compile("model User {\n  id   Int @id\n  when datetime\n}\n", path: "prisma/schema.prisma")
        let d = c.resolved()
        #expect(d.count == 1)
        #expect(d[0].rendered() == """
        prisma/schema.prisma:3:8: error: Type "datetime" is neither a built-in type, nor refers to another model, composite type, or enum. Did you mean "DateTime"?
          |
        3 |   when datetime
          |        ^^^^^^^^

        """)
    }

    @Test("string escapes and unicode are decoded; columns count characters")
    func strings() throws {
        let c = compile("model Ü {\n  id String @id @default(\"a\\\"b\\u00e9\\n\")\n  ö  Int @default(x)\n}\n")
        let f = try #require(c.model.models.first?.field("id"))
        #expect(f.defaultValue == .literal(.string("a\"bé\n")))
        // Reported at `@default` (as Prisma does): column 10 in characters, 11 in bytes (ö is two).
        let err = try #require(c.resolved().first)
        #expect(err.line == 3 && err.column == 10)
    }

    @Test("both Prisma 6 (url) and Prisma 7 (no url) datasources are accepted")
    func datasourceStyles() {
        for ds in ["datasource db {\n  provider = \"postgresql\"\n  url = env(\"DB\")\n}", "datasource db {\n  provider = \"postgresql\"\n}"] {
            let c = compile(ds + "\nmodel A {\n  id Int @id\n}\n")
            #expect(!c.hasErrors)
        }
    }

    @Test("composite types, doc comments on enum values, and block comments")
    func composite() throws {
        let c = compile("""
        datasource db {
          provider = "mongodb"
          url      = env("DATABASE_URL")
        }
        /* a block
           comment */
        type Address {
          street String
          zip    String?
        }
        model Shop {
          id      String  @id @default(auto()) @map("_id") @db.ObjectId
          address Address
          tags    String[]
          kind    Kind
        }
        enum Kind {
          /// sells things
          RETAIL
          ONLINE
        }
        """)
        #expect(!c.hasErrors, "\(c.resolved().map { $0.rendered() })")
        #expect(c.model.compositeType("Address")?.fields.count == 2)
        #expect(c.model.model("Shop")?.field("address")?.type == .composite("Address"))
        #expect(c.model.model("Shop")?.field("id")?.defaultValue == .auto)
        #expect(c.model.enumType("Kind")?.values.first?.documentation == "sells things")
    }

    @Test("validation rules: a sample of Prisma's messages")
    func rules() {
        let cases: [(String, String)] = [
            ("model A {\n  id Int @id\n  b B\n}\nmodel B {\n  id Int @id\n}\n", "is missing an opposite relation field"),
            ("model A {\n  name String\n}\n", "Each model must have at least one unique criteria"),
            ("model A {\n  id Int @id\n  id String\n}\n", "Field \"id\" is already defined on model \"A\"."),
            ("model A {\n  id Int @id\n}\nmodel A {\n  id Int @id\n}\n", "The model \"A\" cannot be defined because a model with that name already exists."),
            ("model A {\n  id Int @id @default(now())\n}\n", "The function `now()` cannot be used on fields of type `Int`."),
            ("model A {\n  id Int @id\n  t String @updatedAt\n}\n", "Fields that are marked with @updatedAt must be of type DateTime."),
            ("enum E {\n}\n", "An enum must have at least one value."),
            ("model A {\n  id Int @id @foo\n}\n", "Attribute not known: \"@foo\"."),
            ("model A {\n  id Int @id\n  bs B[]\n}\nmodel B {\n  id Int @id\n  a A @relation(fields: [aId], references: [id])\n  aId String\n}\n", "is not matching the type of the referenced field"),
        ]
        for (schema, message) in cases {
            let errors = compile(schema).resolved().filter { $0.severity == .error }.map(\.message)
            #expect(errors.contains { $0.contains(message) }, "expected \(message) in \(errors)")
        }
    }

    /// A schema over the size that is parsed and built in parts, with errors in many places.
    /// `trap` decides what follows every model: a `}` line in a comment at the end of its body,
    /// a keyword-less block with a nested `}` line after it, CRLF line ends, or nothing.
    static func largeSchema(models: Int, trap: String) -> String {
        var s = "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n\nenum Role {\n  A\n  B\n}\n"
        for i in 0..<models {
            s += "\n/// Model \(i).\nmodel M\(i) {\n  id    Int    @id @default(autoincrement())\n  name  String @db.VarChar(191)\n  role  Role   @default(A)\n"
            if i > 0 { s += "  up    M\(i - 1)? @relation(fields: [upId], references: [id])\n  upId  Int?\n" }
            if i + 1 < models { s += "  downs M\(i + 1)[]\n" }
            switch i % 37 {
            case 3: s += "  bad   Nope\n"                        // unknown type
            case 7: s += "  name  Int\n"                         // duplicate field
            case 11: s += "  x     String @unknownAttr\n"        // unknown attribute
            case 13: s += "  y     Int @default(\"text\")\n"     // wrong default
            case 17: s += "  @@index([missing])\n"               // unknown index field
            case 23: s += "  z     String @id\n"                  // two ids
            case 29 where i > 0: s += "  a1    M\(i - 1)[]\n  a2    M\(i - 1)[]\n" // ambiguous relation
            default: break
            }
            if trap == "comment" { s += "  /*\n}\n  */\n" }
            s += "}\n"
            // A second model of an earlier name pointing here: pairs seen from either side differ.
            if i % 37 == 31 { s += "\nmodel M\(i - 2) {\n  id    Int @id\n  other M\(i)[]\n}\n" }
            if trap == "nested" { s += "Stray\(i) {\n  inner {\n}\n}\n" }
        }
        return trap == "crlf" ? s.replacingOccurrences(of: "\n", with: "\r\n") : s
    }

    /// Parses and validates `text` with the front end cut into `parts` (1: one pass).
    static func frontEnd(_ text: String, parts: Int) -> (diagnostics: [String], model: String, cut: Bool) {
        Concurrent.$partsOverride.withValue(parts) {
            let source = SourceFile(path: "schema.prisma", text: text)
            let sources = SourceSet(source)
            let c = CompiledSchema(sources: sources)
            return (c.diagnostics.map { "\(sources.location(of: $0.span)) \($0.severity) \($0.message)" },
                    SchemaJSON.encode(c.model, sources: sources), ParallelParse.parse(source, fileIndex: 0) != nil)
        }
    }

    @Test("a large schema parsed and built in parts gives what one pass gives (diagnostics, their order, the model); a cut one pass would not make falls back to one pass",
          arguments: ["clean", "crlf", "comment", "nested"])
    func partsEqualOnePass(trap: String) {
        let text = Self.largeSchema(models: 300, trap: trap)
        #expect(text.utf8.count > ParallelParse.minimumBytes)
        let one = Self.frontEnd(text, parts: 1)
        #expect(!one.diagnostics.isEmpty)
        #expect(!one.cut)
        for parts in [2, 3, 8] {
            let cut = Self.frontEnd(text, parts: parts)
            #expect(cut.diagnostics == one.diagnostics, "\(parts) parts: \(cut.diagnostics.count) diagnostics against \(one.diagnostics.count)")
            #expect(cut.model == one.model, "\(parts) parts: the models differ")
            // Clean closing lines are cut after. A `}` line in a comment is not a place one pass
            // stands at the top level: every cut here lands on one, so the file is parsed in one
            // pass. (Nested blocks: a cut lands on an inner `}` or on a model's own; either way
            // the result is the same.)
            if trap != "nested" { #expect(cut.cut == (trap != "comment"), "\(parts) parts: cut \(cut.cut)") }
        }
    }

}
