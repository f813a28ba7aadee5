import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: enough of a tree for AWS's Query and REST-XML answers.
public struct AWSXMLElement: Sendable, Hashable {
    public var name: String
    /// The element's own character data, trimmed.
    public var text: String
    public var children: [AWSXMLElement]

    /// The first child called `name`.
    public func child(_ name: String) -> AWSXMLElement? { children.first { $0.name == name } }

    /// Every child called `name`.
    public func children(_ name: String) -> [AWSXMLElement] { children.filter { $0.name == name } }

    /// Follows child names (`AssumeRoleResult`, `Credentials`, `AccessKeyId`).
    public func find(_ path: String...) -> AWSXMLElement? {
        var current: AWSXMLElement? = self
        for name in path { current = current?.child(name) }
        return current
    }

    /// The first element called `name` anywhere below (depth first), self included.
    public func descendant(_ name: String) -> AWSXMLElement? {
        if self.name == name { return self }
        for child in children {
            if let found = child.descendant(name) { return found }
        }
        return nil
    }

    /// Parses a document; throws `AWSError.malformedResponse` with the parser's line and column.
    public static func parse(_ data: Data, context: String) throws -> AWSXMLElement {
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"
            throw AWSError(.malformedResponse,
                           "\(context): the XML answer cannot be parsed at line \(parser.lineNumber), column \(parser.columnNumber): \(reason)")
        }
        return root
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [AWSXMLElement] = []
    var texts: [String] = []
    var root: AWSXMLElement?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(AWSXMLElement(name: local, text: "", children: []))
        texts.append("")
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !texts.isEmpty { texts[texts.count - 1] += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if !texts.isEmpty { texts[texts.count - 1] += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard var element = stack.popLast(), let text = texts.popLast() else { return }
        element.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }
}
