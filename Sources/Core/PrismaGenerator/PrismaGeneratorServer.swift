import Foundation

/// What a `generate` call came to: the run succeeded, or it failed with the message Prisma
/// shows (the failed phase and, for schema errors, `file:line:col` with the line and a caret).
public enum PrismaGenerateOutcome: Sendable, Hashable {
    case generated
    case failed(String)
}

/// The generator's side of a run: what `getManifest` and `generate` do.
public protocol PrismaGeneratorHandler: Sendable {
    func manifest() -> PrismaGeneratorManifest
    func generate(_ options: PrismaGeneratorOptions) async -> PrismaGenerateOutcome
}

/// Answers Prisma's requests one at a time, in the order they come (Prisma waits for each
/// answer before it sends the next request). A line that is not a request is logged and
/// skipped; a request whose params cannot be read is answered with an error naming what is
/// wrong; an unknown method with "method not found". Never stops on bad input: it ends when
/// the lines end (Prisma closes stdin or stops the process).
public struct PrismaGeneratorServer<Handler: PrismaGeneratorHandler>: Sendable {
    public let handler: Handler
    /// Writes one answer line (the newline is added by the caller's writer).
    public let respond: @Sendable (String) -> Void
    /// Writes one log line (never JSON, so Prisma keeps it as the generator's log).
    public let log: @Sendable (String) -> Void

    public init(handler: Handler, respond: @escaping @Sendable (String) -> Void, log: @escaping @Sendable (String) -> Void) {
        self.handler = handler
        self.respond = respond
        self.log = log
    }

    /// Serves until `lines` ends; returns the outcome of the last `generate` (nil: none came).
    public func serve<Lines: AsyncSequence>(_ lines: Lines) async throws -> PrismaGenerateOutcome? where Lines.Element == Data {
        var last: PrismaGenerateOutcome?
        for try await line in lines {
            if let outcome = await handle(line) { last = outcome }
        }
        return last
    }

    /// Handles one line; returns the outcome when it was a `generate`.
    public func handle(_ line: Data) async -> PrismaGenerateOutcome? {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        let request: PrismaGeneratorRequest
        do {
            request = try PrismaGeneratorRequest.decode(line)
        } catch {
            let why = PluginSession.describe(error)
            if let id = PrismaGeneratorRequest.id(of: line) {
                respond(PrismaGeneratorResponse.error(id: id, code: -32602, message: "phaserunner prisma-generator: invalid request: \(why)"))
            } else {
                log("phaserunner prisma-generator: ignored a line that is not a JSON-RPC request (\(why))")
            }
            return nil
        }
        switch request {
        case .getManifest(let id):
            respond(PrismaGeneratorResponse.manifest(id: id, handler.manifest()))
            return nil
        case .generate(let id, let options):
            let outcome = await handler.generate(options)
            switch outcome {
            case .generated: respond(PrismaGeneratorResponse.generated(id: id))
            case .failed(let message): respond(PrismaGeneratorResponse.error(id: id, message: message))
            }
            return outcome
        case .unknown(let id?, let method):
            respond(PrismaGeneratorResponse.error(id: id, code: PrismaGeneratorResponse.methodNotFound,
                                                  message: "phaserunner prisma-generator: unknown method `\(method)` (it answers getManifest and generate)"))
            return nil
        case .unknown(nil, let method):
            log("phaserunner prisma-generator: ignored the notification `\(method)`")
            return nil
        }
    }
}
