import CRsvg

/// GLib's out-parameter errors (gdk-pixbuf, librsvg), read and freed in one place.
enum GLibError {
    /// Calls `body` with an error slot; returns its result and the message of the error it set
    /// (the error is freed).
    static func call<T>(_ body: (inout UnsafeMutablePointer<GError>?) -> T) -> (result: T, message: String?) {
        var error: UnsafeMutablePointer<GError>?
        let result = body(&error)
        guard let error else { return (result, nil) }
        defer { g_error_free(error) }
        return (result, String(cString: error.pointee.message))
    }
}
