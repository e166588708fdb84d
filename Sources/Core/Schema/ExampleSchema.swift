/// The schema `phaserunner` opens when started without one: a small shop with every
/// relation kind (1:1, 1:n, self, implicit m:n, composite key), enums and a hidden field.
public enum ExampleSchema {
    public static let text = """
    // The built-in example: edit freely, phaserunner re-runs when you save.
    datasource db {
      provider = "postgresql"
      url      = env("DATABASE_URL")
    }

    generator client {
      provider = "prisma-client-js"
    }

    /// Someone who buys or sells.
    model User {
      id           Int       @id @default(autoincrement())
      /// Login address.
      email        String    @unique
      name         String
      passwordHash String
      role         Role      @default(CUSTOMER)
      profile      Profile?
      orders       Order[]
      reviews      Review[]
      createdAt    DateTime  @default(now())
      updatedAt    DateTime  @updatedAt
    }

    /// One-to-one with User.
    model Profile {
      id     Int     @id @default(autoincrement())
      bio    String?
      avatar Bytes?
      user   User    @relation(fields: [userId], references: [id], onDelete: Cascade)
      userId Int     @unique
    }

    /// Categories nest (a self relation).
    model Category {
      id       Int        @id @default(autoincrement())
      name     String     @unique
      parent   Category?  @relation("Subcategories", fields: [parentId], references: [id])
      parentId Int?
      children Category[] @relation("Subcategories")
      products Product[]
    }

    model Product {
      id         String      @id @default(uuid())
      sku        String      @unique
      title      String
      price      Decimal
      stock      Int         @default(0)
      status     Status      @default(DRAFT)
      attributes Json?
      categories Category[]
      lines      OrderLine[]
      reviews    Review[]
    }

    model Order {
      id       BigInt      @id @default(autoincrement())
      customer User        @relation(fields: [userId], references: [id])
      userId   Int
      placedAt DateTime    @default(now())
      status   OrderStatus @default(PENDING)
      lines    OrderLine[]
    }

    /// One product in an order (composite key).
    model OrderLine {
      order     Order   @relation(fields: [orderId], references: [id], onDelete: Cascade)
      orderId   BigInt
      product   Product @relation(fields: [productId], references: [id])
      productId String
      quantity  Int     @default(1)

      @@id([orderId, productId])
    }

    model Review {
      id        Int     @id @default(autoincrement())
      rating    Int
      body      String?
      author    User    @relation(fields: [authorId], references: [id])
      authorId  Int
      product   Product @relation(fields: [productId], references: [id])
      productId String

      @@unique([authorId, productId])
    }

    enum Role {
      CUSTOMER
      SELLER
      ADMIN
    }

    enum Status {
      DRAFT
      PUBLISHED
      ARCHIVED
    }

    enum OrderStatus {
      PENDING
      PAID
      SHIPPED
      CANCELLED
    }

    """
}
