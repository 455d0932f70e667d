//! A small, defensive XML reader for documents people publish (autoconfig files).
//!
//! It builds a tiny element tree with quick-xml and refuses anything an attacker could use to make
//! it slow or large: a `<!DOCTYPE>` (the only place entities can be defined, so no entity
//! expansion, no "billion laughs", no external entities), references to undefined entities,
//! documents over [`MAX_DOCUMENT_BYTES`], nesting deeper than [`MAX_DEPTH`] and more than
//! [`MAX_ELEMENTS`] elements. Every refusal is an [`XmlError`] that says what and where.
//!
//! It also refuses what XML 1.0 forbids and quick-xml lets through, so that a file it reads is one
//! the clients' parsers (expat in Thunderbird, Apple's, `xml.dom`) read too: characters outside
//! the `Char` production (NUL, C0 controls, U+FFFE, U+FFFF), raw or as references (`&#27;`),
//! names that are not XML names, `--` in comments, `]]>` in text, an XML declaration anywhere
//! but at the very start.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer, XmlVersion};

/// The largest document accepted. Real autoconfig files are a few kilobytes (the largest in
/// Thunderbird's ISPDB is under 4 KB); 1 MiB leaves room for any honest file.
pub const MAX_DOCUMENT_BYTES: usize = 1 << 20;
/// The deepest nesting accepted; `clientConfig/emailProvider/incomingServer/pop3/…` is 5 deep.
pub const MAX_DEPTH: usize = 16;
/// The most elements accepted in one document.
pub const MAX_ELEMENTS: usize = 10_000;
/// The most attributes accepted on one element.
pub const MAX_ATTRIBUTES: usize = 32;

/// Why a document was refused. Lines and columns count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XmlError {
    /// The document is larger than [`MAX_DOCUMENT_BYTES`].
    #[error("the document is {size} bytes; at most {max} bytes are accepted")]
    TooLarge {
        /// The document's size in bytes.
        size: usize,
        /// The most accepted.
        max: usize,
    },
    /// Elements nest deeper than [`MAX_DEPTH`].
    #[error("line {line}: elements nest more than {max} deep")]
    TooDeep {
        /// Where the limit was passed.
        line: u32,
        /// The deepest nesting accepted.
        max: usize,
    },
    /// More than [`MAX_ELEMENTS`] elements.
    #[error("line {line}: the document has more than {max} elements")]
    TooManyElements {
        /// Where the limit was passed.
        line: u32,
        /// The most elements accepted.
        max: usize,
    },
    /// An element with more than [`MAX_ATTRIBUTES`] attributes.
    #[error("line {line}: an element has more than {max} attributes")]
    TooManyAttributes {
        /// The element's line.
        line: u32,
        /// The most attributes accepted.
        max: usize,
    },
    /// A `<!DOCTYPE …>` declaration.
    #[error("line {line}: a <!DOCTYPE> declaration is refused (it can define entities, which is how entity-expansion attacks work); autoconfig files need none")]
    Doctype {
        /// The declaration's line.
        line: u32,
    },
    /// A reference to an entity that is not one of XML's five predefined ones.
    #[error("line {line}: undefined entity &{name}; (only &lt; &gt; &amp; &apos; &quot; and character references are allowed)")]
    UndefinedEntity {
        /// The reference's line.
        line: u32,
        /// The entity's name.
        name: String,
    },
    /// Not well-formed XML.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        /// Where the reader stopped.
        line: u32,
        /// The column there.
        column: u32,
        /// What was wrong.
        message: String,
    },
    /// No root element at all.
    #[error("the document has no root element")]
    Empty,
}

/// An element: its name, attributes, direct text (character data and CDATA, concatenated) and
/// children, and the line its start tag is on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// The element's name.
    pub name: String,
    /// Its attributes, in document order.
    pub attributes: Vec<(String, String)>,
    /// Its direct text.
    pub text: String,
    /// Its child elements, in document order.
    pub children: Vec<Element>,
    /// The line of its start tag.
    pub line: u32,
    /// Whether it has no content at all (`<a/>`, `<a></a>`): no text, not even whitespace, no
    /// comment, no child. Thunderbird reads such an element as `true`, not as an empty text.
    pub empty: bool,
}

impl Element {
    /// The value of an attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this name, in document order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child with this name.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }

    /// Every element of the subtree, this one first, in document order.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
        out
    }
}

/// Tracks line numbers incrementally: counts newlines between the last position and a new one.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
}

impl Lines<'_> {
    /// The line of byte offset `at` (offsets only move forward while reading).
    fn at(&mut self, at: usize) -> u32 {
        let at = at.min(self.bytes.len());
        if at >= self.pos {
            let newlines = self.bytes[self.pos..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line = self.line.saturating_add(newlines as u32);
            self.pos = at;
        }
        self.line
    }
}

/// Line and column (in characters) of a byte offset, computed from scratch (errors only).
fn line_column(text: &str, at: usize) -> (u32, u32) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line as u32, column as u32)
}

/// The text of a document's bytes: a byte-order mark, else the encoding the XML declaration names,
/// else UTF-8, as [`crate::error::decode`] has it (the project's one policy, Gecko's decoders).
/// Native only: the JS API takes strings.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode(bytes: &[u8]) -> Result<String, crate::InputError> {
    if matches!(bytes, [b'<', 0, b'?', 0, ..] | [0, b'<', 0, b'?', ..]) {
        return Err(crate::InputError::Encoding(
            "UTF-16 text without a byte-order mark; save it with one, or as UTF-8".into(),
        ));
    }
    crate::error::decode(bytes, declared_encoding(bytes).as_deref())
}

/// The `encoding` of an XML declaration at the very start of ASCII-compatible bytes.
#[cfg(not(target_arch = "wasm32"))]
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.strip_prefix(b"<?xml")?;
    let end = head.iter().take(1024).position(|&b| b == b'>')?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let rest = decl[decl.find("encoding")? + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    rest[1..].split(quote).next().map(str::to_owned)
}

/// Parses a document into its root element, refusing what this module's docs list.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(XmlError::TooLarge {
            size: text.len(),
            max: MAX_DOCUMENT_BYTES,
        });
    }
    // A byte-order mark is not part of the document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(at) = first_non_xml_char(text) {
        let (line, column) = line_column(text, at);
        let c = text[at..].chars().next().unwrap_or('\0');
        return Err(XmlError::Syntax {
            line,
            column,
            message: format!("{} is not a character XML allows", code_point(c)),
        });
    }
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.expand_empty_elements = false;
    let mut lines = Lines {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let syntax = |reader: &Reader<&[u8]>, message: String| {
        let (line, column) = line_column(text, reader.error_position() as usize);
        XmlError::Syntax {
            line,
            column,
            message,
        }
    };
    // What quick-xml reads without complaint but XML forbids: said where the event starts.
    let refused = |at: usize, message: String| {
        let (line, column) = line_column(text, at);
        XmlError::Syntax {
            line,
            column,
            message,
        }
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| syntax(&reader, e.to_string()))?;
        match event {
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                // The start tag's line: where its `<` is, skipping whitespace before it.
                let lt = text.as_bytes()[start..]
                    .iter()
                    .position(|&b| b == b'<')
                    .map_or(start, |i| start + i);
                let line = lines.at(lt);
                if root.is_some() {
                    return Err(refused(start, "content after the root element".into()));
                }
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(XmlError::TooManyElements {
                        line,
                        max: MAX_ELEMENTS,
                    });
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooDeep {
                        line,
                        max: MAX_DEPTH,
                    });
                }
                let element = element_of(tag, line)?;
                if let Some(parent) = stack.last_mut() {
                    parent.empty = false;
                }
                if matches!(event, Event::Empty(_)) {
                    close(&mut stack, &mut root, element);
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                // check_end_names guarantees a matching open element.
                if let Some(element) = stack.pop() {
                    close(&mut stack, &mut root, element);
                }
            }
            Event::Text(t) => {
                if t.as_ref().contains("]]>") {
                    return Err(refused(start, "]]> is not allowed in text".into()));
                }
                let content = t.xml10_content();
                match stack.last_mut() {
                    Some(parent) => {
                        parent.text.push_str(&content);
                        parent.empty = false;
                    }
                    None if content.bytes().all(is_xml_space) => {}
                    None => return Err(refused(start, "text outside the root element".into())),
                }
            }
            Event::CData(t) => {
                let content = t.xml10_content();
                match stack.last_mut() {
                    Some(parent) => {
                        parent.text.push_str(&content);
                        parent.empty = false;
                    }
                    None => return Err(refused(start, "CDATA outside the root element".into())),
                }
            }
            Event::GeneralRef(r) => {
                let line = lines.at(start);
                let name = r.xml10_content().into_owned();
                let resolved: String = if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) if is_xml_char(c) => c.to_string(),
                        Ok(Some(c)) => {
                            return Err(refused(
                                start,
                                format!(
                                    "&{name}; refers to {}, which XML does not allow",
                                    code_point(c)
                                ),
                            ))
                        }
                        _ => {
                            return Err(refused(
                                start,
                                format!("invalid character reference &{name};"),
                            ))
                        }
                    }
                } else {
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => s.to_owned(),
                        None => return Err(XmlError::UndefinedEntity { line, name }),
                    }
                };
                match stack.last_mut() {
                    Some(parent) => {
                        parent.text.push_str(&resolved);
                        parent.empty = false;
                    }
                    None => {
                        return Err(refused(
                            start,
                            "a reference outside the root element".into(),
                        ))
                    }
                }
            }
            Event::DocType(_) => {
                return Err(XmlError::Doctype {
                    line: lines.at(start),
                })
            }
            // The declaration only at the very start (XML 1.0 §2.8); the BOM is gone already.
            Event::Decl(_) if start == 0 => {}
            Event::Decl(_) => {
                return Err(refused(
                    start,
                    "the XML declaration must be at the very start of the document".into(),
                ))
            }
            Event::PI(pi) => {
                let target = pi.target();
                if !is_xml_name(target) || target.eq_ignore_ascii_case("xml") {
                    return Err(refused(
                        start,
                        "a processing instruction needs a name other than xml".into(),
                    ));
                }
                if let Some(parent) = stack.last_mut() {
                    parent.empty = false;
                }
            }
            Event::Comment(_) => {
                if let Some(parent) = stack.last_mut() {
                    parent.empty = false;
                }
            }
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        let (line, column) = line_column(text, text.len());
        return Err(XmlError::Syntax {
            line,
            column,
            message: format!("the document ends before <{}> is closed", open.name),
        });
    }
    root.ok_or(XmlError::Empty)
}

/// Attaches a finished element to its parent, or makes it the root.
fn close(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn element_of(tag: &BytesStart, line: u32) -> Result<Element, XmlError> {
    let bad = |message: String| XmlError::Syntax {
        line,
        column: 1,
        message,
    };
    let raw_name = tag.name();
    if !is_xml_name(raw_name.as_ref()) {
        return Err(bad("an element name that is not an XML name".into()));
    }
    let name = raw_name.as_ref().to_owned();
    let mut attributes = Vec::new();
    for attr in tag.attributes() {
        let attr = attr.map_err(|e| bad(format!("in <{name}>: {e}")))?;
        if !is_xml_name(attr.key.as_ref()) {
            return Err(bad(format!(
                "in <{name}>: an attribute name that is not an XML name"
            )));
        }
        if attributes.len() >= MAX_ATTRIBUTES {
            return Err(XmlError::TooManyAttributes {
                line,
                max: MAX_ATTRIBUTES,
            });
        }
        let key = attr.key.as_ref().to_owned();
        let value =
            attr.normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| match e {
                    quick_xml::Error::Escape(
                        quick_xml::escape::EscapeError::UnrecognizedEntity(_, entity),
                    ) => XmlError::UndefinedEntity { line, name: entity },
                    e => bad(format!("in <{name}> attribute {key}: {e}")),
                })?
                .into_owned();
        attributes.push((key, value));
    }
    Ok(Element {
        name,
        attributes,
        text: String::new(),
        children: Vec::new(),
        line,
        empty: true,
    })
}

/// Where the first character outside [`is_xml_char`] is: checked bytewise, since in UTF-8 only
/// C0 controls and U+FFFE, U+FFFF (EF BF BE, EF BF BF) can be such a character.
fn first_non_xml_char(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    b.iter().enumerate().find_map(|(i, &c)| match c {
        0..=0x08 | 0x0b | 0x0c | 0x0e..=0x1f => Some(i),
        0xef if b.get(i + 1) == Some(&0xbf) && matches!(b.get(i + 2), Some(0xbe | 0xbf)) => Some(i),
        _ => None,
    })
}

/// XML 1.0 §2.2 `Char`: tab, line feed, carriage return, and everything from U+0020 but the
/// surrogates (which a Rust `char` cannot be) and U+FFFE, U+FFFF.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{fffd}' | '\u{10000}'..)
}

/// XML 1.0 §2.3 `S`.
fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// XML 1.0 §2.3 `Name`: a `NameStartChar`, then `NameChar`s.
fn is_xml_name(name: &str) -> bool {
    fn start(c: char) -> bool {
        matches!(c, ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}'
            | '\u{f8}'..='\u{2ff}' | '\u{370}'..='\u{37d}' | '\u{37f}'..='\u{1fff}'
            | '\u{200c}'..='\u{200d}' | '\u{2070}'..='\u{218f}' | '\u{2c00}'..='\u{2fef}'
            | '\u{3001}'..='\u{d7ff}' | '\u{f900}'..='\u{fdcf}' | '\u{fdf0}'..='\u{fffd}'
            | '\u{10000}'..='\u{effff}')
    }
    let mut chars = name.chars();
    chars.next().is_some_and(start)
        && chars.all(|c| {
            start(c)
                || matches!(c, '-' | '.' | '0'..='9' | '\u{b7}' | '\u{300}'..='\u{36f}' | '\u{203f}'..='\u{2040}')
        })
}

/// `U+0001` for messages.
fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Writes indented XML through quick-xml, which escapes every attribute value and text.
///
/// The methods are plain (not generic, no closures) so the writers share one copy of each in the
/// WebAssembly build. Writing to memory cannot fail; should it ever, the first error is kept and
/// returned by [`XmlWriter::finish`].
pub(crate) struct XmlWriter {
    w: Writer<Vec<u8>>,
    error: Option<std::io::Error>,
}

impl XmlWriter {
    pub fn new(indent_char: u8, indent_size: usize) -> XmlWriter {
        XmlWriter {
            w: Writer::new_with_indent(Vec::new(), indent_char, indent_size),
            error: None,
        }
    }

    fn event(&mut self, e: Event) {
        if self.error.is_none() {
            if let Err(e) = self.w.write_event(e) {
                self.error = Some(e);
            }
        }
    }

    /// `<?xml version="1.0" encoding="…"?>`.
    pub fn declaration(&mut self, encoding: &str) {
        self.event(Event::Decl(BytesDecl::new("1.0", Some(encoding), None)));
    }

    /// A document type declaration, written as given (constant text only, never input).
    pub fn doctype(&mut self, constant: &'static str) {
        self.event(Event::DocType(BytesText::from_escaped(constant)));
    }

    fn tag<'a>(name: &'a str, attributes: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        let mut tag = BytesStart::new(name);
        for a in attributes {
            tag.push_attribute(*a);
        }
        tag
    }

    /// An opening tag.
    pub fn start(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.event(Event::Start(Self::tag(name, attributes)));
    }

    /// A closing tag.
    pub fn end(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// Text inside the open element.
    pub fn text(&mut self, text: &str) {
        self.event(Event::Text(BytesText::new(text)));
    }

    /// `<name attributes>text</name>`.
    pub fn element(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.start(name, attributes);
        self.text(text);
        self.end(name);
    }

    /// `<name attributes/>`.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.event(Event::Empty(Self::tag(name, attributes)));
    }

    /// The document, with a final newline.
    pub fn finish(self) -> Result<String, std::io::Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut out = String::from_utf8(self.w.into_inner())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        out.push('\n');
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_escapes_and_indents() {
        let mut w = XmlWriter::new(b' ', 2);
        w.declaration("UTF-8");
        w.start("a", &[("x", "1 < 2 & \"q\"")]);
        w.element("b", &[], "<script>&");
        w.empty("c", &[("y", "'")]);
        w.start("p", &[]);
        w.text("For ");
        w.element("strong", &[], "me");
        w.text(".");
        w.end("p");
        w.end("a");
        let out = w.finish().unwrap();
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1 &lt; 2 &amp; &quot;q&quot;\">\n  <b>&lt;script&gt;&amp;</b>\n  <c y=\"&apos;\"/>\n  <p>For <strong>me</strong>.</p>\n</a>\n"
        );
        let back = parse(&out).unwrap();
        assert_eq!(back.attribute("x"), Some("1 < 2 & \"q\""));
        assert_eq!(back.child_text("b"), Some("<script>&"));
    }

    #[test]
    fn parses_a_small_tree_with_lines() {
        let doc = "<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\">\n  <b>hi &lt;there&gt; &#x41;</b>\n  <c/><!-- note -->\n  <b><![CDATA[<raw>]]></b>\n</a>\n";
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.line, 2);
        assert_eq!(root.attribute("x"), Some("1 & 2"));
        let bs: Vec<_> = root.children_named("b").collect();
        assert_eq!(bs.len(), 2);
        assert_eq!(bs[0].text, "hi <there> A");
        assert_eq!(bs[0].line, 3);
        assert_eq!(bs[1].text, "<raw>");
        assert_eq!(root.child("c").unwrap().line, 4);
        assert_eq!(root.descendants().len(), 4);
    }

    #[test]
    fn refuses_doctype_and_entities() {
        let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<lolz>&lol2;</lolz>"#;
        assert!(matches!(parse(bomb), Err(XmlError::Doctype { line: 2 })));
        let undefined = "<a>\n&xxe;</a>";
        assert_eq!(
            parse(undefined),
            Err(XmlError::UndefinedEntity {
                line: 2,
                name: "xxe".into()
            })
        );
        let in_attr = "<a b=\"&xxe;\"/>";
        assert!(matches!(
            parse(in_attr),
            Err(XmlError::UndefinedEntity { .. })
        ));
    }

    #[test]
    fn refuses_size_depth_and_count() {
        let big = format!("<a>{}</a>", "x".repeat(MAX_DOCUMENT_BYTES));
        assert!(matches!(parse(&big), Err(XmlError::TooLarge { .. })));
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert!(matches!(parse(&deep), Err(XmlError::TooDeep { .. })));
        let many = format!("<a>{}</a>", "<b/>".repeat(MAX_ELEMENTS));
        assert!(matches!(
            parse(&many),
            Err(XmlError::TooManyElements { .. })
        ));
    }

    /// What XML 1.0 forbids and quick-xml alone lets through (the adversarial report's D5 list),
    /// each refused with where it is; what it allows stays allowed.
    #[test]
    fn refuses_what_xml_forbids() {
        for bad in [
            "<a>x\u{0}</a>",
            "<a>x\u{1}</a>",
            "<a>\u{1b}</a>",
            "<a>\u{fffe}</a>",
            "<a>\u{ffff}</a>",
            "<a b=\"\u{1}\"/>",
            "<a>&#27;</a>",
            "<a>&#x1;</a>",
            "<a>&#xFFFE;</a>",
            "<a\u{1b}>x</a\u{1b}>",
            "<a><b\u{1b}c/></a>",
            "<a b\u{1b}=\"1\"/>",
            "<1a/>",
            "<a><!-- a -- b --></a>",
            "<a>]]></a>",
            "<a><?xml version=\"1.0\"?></a>",
            " <?xml version=\"1.0\"?><a/>",
            "<a><?XmL x?></a>",
            "<a>&</a>",
            "<a/>\u{a0}",
        ] {
            match parse(bad) {
                Err(XmlError::Syntax { line, column, .. }) => {
                    assert!(line >= 1 && column >= 1, "{bad:?}")
                }
                other => panic!("{bad:?} was not refused: {other:?}"),
            }
        }
        let e = parse("<a>\n x\u{1}</a>").unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("U+0001"), "{e}");
        let e = parse("<a>\n\n  <b>&#27;</b></a>").unwrap_err().to_string();
        assert!(
            e.contains("line 3, column 6") && e.contains("U+001B"),
            "{e}"
        );
        for good in [
            "<a>\t\r\n\u{85}\u{fffd}\u{10ffff}&#9;&#xD7FF;</a>",
            "<a><!-- a - b --><?pi x?></a>",
            "\u{feff}<?xml version=\"1.0\"?><a:b c.d-e=\"1\" _f=\"2\"/>",
            "<é·ü/>",
        ] {
            assert!(parse(good).is_ok(), "{good:?}: {:?}", parse(good));
        }
    }

    #[test]
    fn decodes_by_byte_order_mark_then_declaration() {
        let doc = |decl: &str, body: &str| {
            format!("<?xml version=\"1.0\" encoding=\"{decl}\"?><a>{body}</a>")
        };
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend(
            doc("UTF-16", "é€")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert!(decode(&utf16).unwrap().contains("<a>é€</a>"));
        let mut bom8 = vec![0xef, 0xbb, 0xbf];
        bom8.extend(doc("UTF-8", "é").bytes());
        assert!(decode(&bom8).unwrap().starts_with("<?xml"));
        // ISO-8859-1 is windows-1252, as in every browser engine: 0x80 is the euro sign.
        let mut latin1 = doc("ISO-8859-1", "").into_bytes();
        latin1.splice(latin1.len() - 4..latin1.len() - 4, [0xe9, 0x80]);
        assert!(decode(&latin1).unwrap().contains("<a>é€</a>"));
        // A declared UTF-16 in ASCII-compatible bytes is UTF-8, as browsers read it.
        assert!(decode(doc("UTF-16", "é").as_bytes()).unwrap().contains("é"));
        let unknown = decode(doc("x-klingon", "").as_bytes())
            .unwrap_err()
            .to_string();
        assert!(unknown.contains("x-klingon"), "{unknown}");
        let invalid = decode(b"<a>\xff</a>").unwrap_err().to_string();
        assert!(invalid.contains("offset 3"), "{invalid}");
        let no_bom: Vec<u8> = "<?xml version=\"1.0\"?><a/>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(decode(&no_bom)
            .unwrap_err()
            .to_string()
            .contains("byte-order mark"));
    }

    #[test]
    fn knows_which_elements_are_empty() {
        let root = parse("<a><b/><c></c><d> </d><e><!-- --></e><f>x</f><g><h/></g></a>").unwrap();
        let empty: Vec<bool> = root.children.iter().map(|c| c.empty).collect();
        assert_eq!(empty, [true, true, false, false, false, false]);
        assert!(!root.empty);
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        for bad in [
            "",
            "   ",
            "<a>",
            "<a></b>",
            "<a><b></a>",
            "text",
            "<a/><b/>",
            "<a x=1/>",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(
                matches!(e, XmlError::Syntax { .. } | XmlError::Empty),
                "{bad:?}: {e:?}"
            );
        }
        match parse("<a>\n  <b>\n</a>") {
            Err(XmlError::Syntax { line, .. }) => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
    }
}
