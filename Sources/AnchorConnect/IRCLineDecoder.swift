import AnchorChat
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Splits the byte stream into lines (LF or CR LF), at most 8 KiB each (longer ones are cut
/// off, so a server cannot make us hold unbounded memory).
struct IRCLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    static let maxLine = 8_192

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLine { buffer.moveReaderIndex(forwardBy: buffer.readableBytes) }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var line = buffer.readSlice(length: min(length, Self.maxLine))!
        buffer.moveReaderIndex(to: newline + 1)
        if line.readableBytesView.last == UInt8(ascii: "\r") { line = line.getSlice(at: line.readerIndex, length: line.readableBytes - 1)! }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }
}
