import Core
import Foundation

/// libFuzzer's entry point: the schema front end on the fuzzer's bytes (`FrontEndCheck`). A
/// crash, a hang (libFuzzer's -timeout) or a violated invariant (reported, then abort) makes
/// libFuzzer save the input. Built only by `scripts/fuzz.sh` (PHASERUNNER_FUZZ=1, with
/// `-sanitize=fuzzer,address`; libFuzzer supplies `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchema(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let violation = FrontEndCheck.run(bytes) {
        FileHandle.standardError.write(Data("FrontEndCheck violation: \(violation)\n".utf8))
        abort()
    }
    return 0
}

/// libFuzzer's driver (in the fuzzer runtime that -sanitize=fuzzer links).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable with `main` renamed to `<module>_main`; this is it, and it hands
/// the command line to libFuzzer's driver.
@_cdecl("fuzz_schema_main")
public func fuzzSchemaMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzSchema)
}
