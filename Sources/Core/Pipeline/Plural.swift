/// Counts in messages: "1 file", "2 files", "1 class", "3 classes".
public enum Plural {
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? Naming.pluralWord(singular))"
    }
}
