'use strict';
// Stand-in for `@prisma/client` when the generated code runs under Node in our tests.
// Only what the generated base layer touches at run time: Prisma.Decimal.isDecimal,
// Prisma.JsonNull / Prisma.DbNull and the known-request error class. The database calls
// themselves are made on a fake client that each driver builds.

class Decimal {
  constructor(value) {
    this.value = String(value);
  }
  toString() {
    return this.value;
  }
  static isDecimal(value) {
    return value instanceof Decimal;
  }
}

class PrismaClientKnownRequestError extends Error {
  constructor(message, { code, meta, clientVersion }) {
    super(message);
    this.name = 'PrismaClientKnownRequestError';
    this.code = code;
    this.meta = meta;
    this.clientVersion = clientVersion;
  }
}

const Prisma = {
  Decimal,
  JsonNull: Object.freeze({ _type: 'JsonNull' }),
  DbNull: Object.freeze({ _type: 'DbNull' }),
  AnyNull: Object.freeze({ _type: 'AnyNull' }),
  PrismaClientKnownRequestError,
};

class PrismaClient {
  constructor(options) {
    this.options = options;
  }
}

module.exports = { Prisma, PrismaClient };
