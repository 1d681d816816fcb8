//! A small owned XML tree for the post-build repairs of docx-rs output:
//! parse a part, fix it (child order the OOXML schema requires, attributes
//! it does not allow, ids that must be stable), write it back. Text and
//! attribute values are kept exactly as escaped in the source.

use quick_xml::events::Event;
use quick_xml::Reader;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    /// Escaped text, as in the source.
    Text(String),
    /// Declarations, comments, processing instructions: written back verbatim.
    Raw(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    /// (qualified name, escaped value)
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn new(name: &str) -> Element {
        Element { name: name.to_string(), attrs: Vec::new(), children: Vec::new() }
    }

    pub fn attr(mut self, key: &str, value: &str) -> Element {
        self.attrs.push((key.to_string(), escape(value)));
        self
    }

    pub fn child(mut self, e: Element) -> Element {
        self.children.push(Node::Element(e));
        self
    }

    pub fn text(mut self, t: &str) -> Element {
        self.children.push(Node::Text(escape(t)));
        self
    }

    pub fn set_attr(&mut self, key: &str, value: &str) {
        match self.attrs.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = escape(value),
            None => self.attrs.push((key.to_string(), escape(value))),
        }
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    pub fn find_mut(&mut self, name: &str) -> Option<&mut Element> {
        self.elements_mut().find(|e| e.name == name)
    }

    /// Applies `f` to this element and every descendant, parents first.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Element)) {
        f(self);
        for c in self.elements_mut() {
            c.walk_mut(f);
        }
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(&v.replace('"', "&quot;"));
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for c in &self.children {
            match c {
                Node::Element(e) => e.write(out),
                Node::Text(t) | Node::Raw(t) => out.push_str(t),
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

/// A parsed part: what precedes the root (the XML declaration) and the root.
#[derive(Debug, Clone)]
pub struct XmlDoc {
    pub prolog: Vec<Node>,
    pub root: Element,
}

impl XmlDoc {
    pub fn parse(bytes: &[u8]) -> Result<XmlDoc, String> {
        let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
        let mut reader = Reader::from_str(text);
        let mut stack: Vec<Element> = Vec::new();
        let mut prolog = Vec::new();
        let mut root = None;
        loop {
            let ev = reader.read_event().map_err(|e| e.to_string())?;
            let node = match ev {
                Event::Start(s) => {
                    stack.push(element_of(&s)?);
                    continue;
                }
                Event::End(_) => {
                    let done = stack.pop().ok_or("unbalanced end tag")?;
                    match stack.last_mut() {
                        Some(parent) => {
                            parent.children.push(Node::Element(done));
                        }
                        None => root = Some(done),
                    }
                    continue;
                }
                Event::Empty(s) => Node::Element(element_of(&s)?),
                Event::Text(t) => Node::Text((*t).to_string()),
                Event::GeneralRef(r) => Node::Text(format!("&{};", &*r)),
                Event::CData(c) => Node::Raw(format!("<![CDATA[{}]]>", &*c)),
                Event::Decl(d) => Node::Raw(format!("<?{}?>", &*d)),
                Event::PI(p) => Node::Raw(format!("<?{}?>", &*p)),
                Event::Comment(c) => Node::Raw(format!("<!--{}-->", &*c)),
                Event::DocType(d) => Node::Raw(format!("<!DOCTYPE {}>", &*d)),
                Event::Eof => break,
            };
            match stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => match node {
                    Node::Element(e) => root = Some(e),
                    Node::Text(t) if t.trim().is_empty() => {}
                    other => prolog.push(other),
                },
            }
        }
        Ok(XmlDoc { prolog, root: root.ok_or("no root element")? })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::new();
        for p in &self.prolog {
            if let Node::Raw(r) = p {
                out.push_str(r);
            }
        }
        if out.is_empty() {
            out.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
        }
        out.push('\n');
        self.root.write(&mut out);
        out.into_bytes()
    }
}

fn element_of(s: &quick_xml::events::BytesStart) -> Result<Element, String> {
    let name = s.name().as_ref().to_string();
    let mut attrs = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        attrs.push((a.key.as_ref().to_string(), a.value.to_string()));
    }
    Ok(Element { name, attrs, children: Vec::new() })
}

/// Escapes text for element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_text_and_entities() {
        let src = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:p a="x &amp; y"><w:t xml:space="preserve">A &amp; B &lt; C</w:t><w:br/></w:p>"#;
        let doc = XmlDoc::parse(src.as_bytes()).unwrap();
        let out = String::from_utf8(doc.to_bytes()).unwrap();
        assert_eq!(out.replace('\n', ""), src);
    }
}
