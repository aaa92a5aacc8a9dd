//! Behaviour of the schema validator on small documents: what it reports, where, and what it
//! refuses. Each expected verdict was checked with `xmllint --schema` (libxml2 2.9.14).

use coopera_domain::Lang;

use super::*;

/// A valid activity with `extra` before `</iati-activity>`, `attrs` on `<iati-activity>`.
fn activity(attrs: &str, extra: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" xmlns:x="http://example.org/x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <iati-activity {attrs}>
  <iati-identifier>XM-EX-1</iati-identifier>
  <reporting-org ref="XM-EX" type="10"><narrative>Org</narrative></reporting-org>
  <title><narrative>Title</narrative></title>
  <description><narrative>Text</narrative></description>
  <participating-org role="1"/>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2024-01-31"/>
  {extra}
 </iati-activity>
</iati-activities>
"#
    )
}

fn problems(xml: &str) -> Vec<SchemaProblem> {
    match validate_schema(xml.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("refused: {e}"),
    }
}

/// (code, xpath) of every problem.
fn check(xml: &str) -> Vec<(&'static str, String)> {
    problems(xml).into_iter().map(|p| (p.code, p.xpath)).collect()
}

fn codes(xml: &str) -> Vec<&'static str> {
    check(xml).into_iter().map(|(c, _)| c).collect()
}

#[test]
fn a_valid_activity_has_no_problem() {
    assert_eq!(check(&activity("", "")), []);
    let full = activity(
        r#"xml:lang="es" hierarchy="1" humanitarian=" true " x:own="anything""#,
        r#"<sector code="11110" percentage=" 60.5 "/><sector code="11120" percentage="39.5"><narrative>Educación</narrative></sector>
           <budget><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/>
             <value value-date="2024-01-01" currency="MXN">
               1500.50
             </value></budget>
           <x:extension><title><narrative>declared elements inside are checked</narrative></title></x:extension>"#,
    );
    assert_eq!(check(&full), []);
}

#[test]
fn values_are_checked_where_they_are() {
    let xml = activity("", "<sector code=\"1\"/>\n  <sector code=\"2\"\n     percentage=\"12,5\"/>");
    let p = problems(&xml);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].code, "invalid-value");
    assert_eq!(p[0].xpath, "/iati-activities/iati-activity[1]/sector[2]/@percentage");
    assert_eq!((p[0].line, p[0].column), (13, 6));
    let Detail::InvalidValue { element, attribute, value, expected } = &p[0].detail else { panic!("{p:?}") };
    assert_eq!((element.as_str(), attribute.as_deref(), value.as_str()), ("sector", Some("percentage"), "12,5"));
    assert_eq!(expected.name, "xs:decimal");
    assert!(p[0].message(Lang::Es).contains("punto decimal"), "{}", p[0].message(Lang::Es));
    assert!(p[0].message(Lang::En).contains("decimal point"), "{}", p[0].message(Lang::En));
}

#[test]
fn order_and_cardinality_follow_the_content_model() {
    // activity-status before participating-org: out of order.
    let xml = activity("", "").replace(
        "<participating-org role=\"1\"/>\n  <activity-status code=\"2\"/>",
        "<activity-status code=\"2\"/>\n  <participating-org role=\"1\"/>",
    );
    let p = problems(&xml);
    assert_eq!(p[0].code, "unexpected-element");
    assert_eq!(p[0].xpath, "/iati-activities/iati-activity[1]/activity-status[1]");
    let Detail::UnexpectedElement { expected, .. } = &p[0].detail else { panic!() };
    assert!(expected.elements.contains(&"participating-org".to_owned()), "{expected:?}");

    // A second title.
    assert_eq!(
        check(&activity("", "").replace("</title>", "</title><title><narrative>B</narrative></title>")),
        [("unexpected-element", "/iati-activities/iati-activity[1]/title[2]".to_owned())]
    );
    // A required child missing at the end.
    assert_eq!(
        check(&activity(
            "",
            "<budget><period-start iso-date=\"2024-01-01\"/><period-end iso-date=\"2024-12-31\"/></budget>"
        )),
        [("missing-element", "/iati-activities/iati-activity[1]/budget[1]".to_owned())]
    );
    assert_eq!(
        check(&activity("", "").replace("<narrative>Title</narrative>", "")),
        [("missing-element", "/iati-activities/iati-activity[1]/title[1]".to_owned())]
    );
}

#[test]
fn attributes_required_unknown_and_foreign() {
    assert_eq!(
        check(&activity("", "<sector percentage=\"10\" foo=\"1\" x:foo=\"1\" xml:lang=\"en\"/>")),
        [
            ("attribute-not-allowed", "/iati-activities/iati-activity[1]/sector[1]/@foo".to_owned()),
            ("missing-attribute", "/iati-activities/iati-activity[1]/sector[1]/@code".to_owned()),
        ]
    );
    // related-activity has no xs:anyAttribute: even namespaced attributes are refused…
    assert_eq!(codes(&activity("", "<related-activity ref=\"a\" type=\"1\" x:foo=\"1\"/>")), ["attribute-not-allowed"]);
    // …but the schema location hints are not attributes to check.
    assert_eq!(codes(&activity("", "<related-activity ref=\"a\" type=\"1\" xsi:schemaLocation=\"a b\"/>")), [""; 0]);
}

#[test]
fn text_where_only_elements_go_and_elements_where_only_text_goes() {
    assert_eq!(
        check(&activity("", "<transaction-type code=\"1\"/><sector code=\"1\">11110</sector>")),
        [
            ("unexpected-element", "/iati-activities/iati-activity[1]/transaction-type[1]".to_owned()),
            ("text-not-allowed", "/iati-activities/iati-activity[1]/sector[1]".to_owned()),
        ]
    );
    // Whitespace, comments, processing instructions and a whitespace reference are fine…
    assert_eq!(check(&activity("", "<sector code=\"1\"> <!-- c --> <?pi?> &#32;&#10; </sector>")), []);
    // …a CDATA section is not, even an empty one, nor a no-break space.
    assert_eq!(codes(&activity("", "<sector code=\"1\"><![CDATA[]]></sector>")), ["text-not-allowed"]);
    assert_eq!(codes(&activity("", "<sector code=\"1\">&#160;</sector>")), ["text-not-allowed"]);
    // A narrative holds text only.
    assert_eq!(
        check(&activity("", "<sector code=\"1\"><narrative>a <x:b/></narrative></sector>")),
        [("element-in-text", "/iati-activities/iati-activity[1]/sector[1]/narrative[1]/x:b[1]".to_owned())]
    );
    // Text of a simple type is joined across comments and references before it is checked.
    let budget = |v: &str| {
        activity(
            "",
            &format!(
                "<budget><period-start iso-date=\"2024-01-01\"/><period-end iso-date=\"2024-12-31\"/><value value-date=\"2024-01-01\">{v}</value></budget>"
            ),
        )
    };
    assert_eq!(check(&budget("1<!-- -->5")), []);
    assert_eq!(check(&budget("&#49;5.0")), []);
    assert_eq!(codes(&budget("")), ["invalid-value"]);
    assert_eq!(codes(&budget("1 500")), ["invalid-value"]);
}

#[test]
fn extensions_are_checked_laxly() {
    // Unknown elements in another namespace pass; declared IATI elements inside them are
    // checked, and so are the global attributes (value-date) on them.
    assert_eq!(check(&activity("", "<x:a><x:b any=\"thing\">text<x:c/></x:b></x:a>")), []);
    assert_eq!(
        check(&activity("", "<x:a><title/></x:a>")),
        [("missing-element", "/iati-activities/iati-activity[1]/x:a[1]/title[1]".to_owned())]
    );
    assert_eq!(codes(&activity("", "<x:a value-date=\"31/01/2024\"/>")), ["invalid-value"]);
    // An element without a namespace is not an extension.
    assert_eq!(codes(&activity("", "<own-element/>")), ["unexpected-element"]);
    // xml:lang is checked wherever it appears; xml:space too.
    assert_eq!(codes(&activity("", "<sector code=\"1\" xml:lang=\"es_MX\"/>")), ["invalid-value"]);
    assert_eq!(codes(&activity("", "<sector code=\"1\" xml:space=\"keep\"/>")), ["invalid-value"]);
    assert_eq!(check(&activity("xml:lang=\"\"", "<sector code=\"1\" xml:space=\" preserve \"/>")), []);
}

#[test]
fn xsi_type_xsi_nil_and_xml_id() {
    assert_eq!(codes(&activity("", "<sector code=\"1\" xsi:nil=\"true\"/>")), ["not-nillable"]);
    assert_eq!(codes(&activity("", "<sector code=\"1\" xsi:type=\"bogus\"/>")), ["bad-xsi-type"]);
    assert_eq!(codes(&activity("", "<sector code=\"1\" xsi:type=\"textType\"/>")), ["bad-xsi-type"]);
    // xsi:type makes an extension element a declared type.
    assert_eq!(codes(&activity("", "<x:a xsi:type=\"aidTypeBase\"/>")), ["missing-attribute"]);
    assert_eq!(check(&activity("", "<x:a xsi:type=\"aidTypeBase\" code=\"A01\"/>")), []);
    assert_eq!(
        codes(&activity("", "<sector code=\"1\" xml:id=\"s1\"/><sector code=\"2\" xml:id=\"s1\"/>")),
        ["duplicate-id"]
    );
    assert_eq!(codes(&activity("", "<sector code=\"1\" xml:id=\"s1\"/><sector code=\"2\" xml:id=\" s1 \"/>")), [""; 0]);
}

#[test]
fn the_root_chooses_the_schema() {
    assert_eq!(check("<iati-activity/>").len(), 1, "a lone activity is a valid root, missing its children");
    assert_eq!(check("<activity/>"), [("unknown-root", "/activity".to_owned())]);
    let org = r#"<iati-organisations version="2.03"><iati-organisation>
        <organisation-identifier>XM-EX</organisation-identifier>
        <name><narrative>Org</narrative></name>
        <reporting-org ref="XM-EX" type="10"><narrative>Org</narrative></reporting-org>
    </iati-organisation></iati-organisations>"#;
    assert_eq!(check(org), []);
    assert_eq!(
        check(&org.replace("</iati-organisation>", "<x:e xmlns:x=\"http://example.org\"/></iati-organisation>")),
        []
    );
    assert_eq!(codes(&org.replace("<name>", "<x:e xmlns:x=\"http://example.org\"/><name>")), ["unexpected-element"]);
    assert_eq!(codes(&org.replace(" version=\"2.03\"", "")), ["missing-attribute"]);
}

#[test]
fn namespace_mistakes_are_judged_like_the_reference_validator() {
    // An undeclared prefix leaves the whole name in no namespace: refused where only
    // declared elements go, accepted inside an extension.
    assert_eq!(codes(&activity("", "<z:a/>")), ["undeclared-prefix"]);
    assert_eq!(codes(&activity("", "<sector code=\"1\" z:a=\"1\"/>")), ["undeclared-prefix"]);
    assert_eq!(check(&activity("", "<x:a><z:a z:b=\"1\"/></x:a>")), []);
    // A prefix cannot be bound to the empty namespace: the binding is ignored.
    assert_eq!(codes(&activity("", "<sector code=\"1\" xmlns:p=\"\" p:a=\"1\"/>")), ["undeclared-prefix"]);
}

#[test]
fn hostile_or_broken_input_is_refused() {
    let doctype = activity("", "").replace("<iati-activities", "<!DOCTYPE iati-activities>\n<iati-activities");
    assert!(matches!(validate_schema(doctype.as_bytes()), Err(ValidateError::Dtd { line: 2, column: 1 })));
    let entity = activity("", "<sector code=\"&nbsp;\"/>");
    assert!(
        matches!(validate_schema(entity.as_bytes()), Err(ValidateError::Entity { ref name, .. }) if name == "nbsp")
    );
    let entity = activity("", "<sector code=\"1\"><narrative>&lol;</narrative></sector>");
    assert!(matches!(validate_schema(entity.as_bytes()), Err(ValidateError::Entity { .. })));
    let deep = activity("", &format!("{}{}", "<x:a>".repeat(300), "</x:a>".repeat(300)));
    assert!(matches!(validate_schema(deep.as_bytes()), Err(ValidateError::TooDeep { limit: 257, .. })));
    let limits = Limits { max_token: 1000, ..Limits::default() };
    let big = activity("", &format!("<x:a>{}</x:a>", "a".repeat(5000)));
    assert!(matches!(validate_schema_with(big.as_bytes(), limits), Err(ValidateError::TooLarge { .. })));
    for broken in [
        "",
        "<iati-activities version=\"2.03\">",
        "<iati-activities version=\"2.03\"></iati-activity>",
        "<iati-activities version=\"2.03\" version=\"2.03\"/>",
        "<iati-activities version=\"2.03\"/><iati-activities version=\"2.03\"/>",
        "<iati-activities version=\"2.03\">\u{1}</iati-activities>",
        "<iati-activities version=\"2.03\"><!-- a -- b --></iati-activities>",
        "<iati-activities version=\"2.03\" a=\"<\"/>",
        "<iati-activities version=\"2.03\">]]></iati-activities>",
        "<iati-activities version=\"2.03\">&#0;</iati-activities>",
        "\n<?xml version=\"1.0\"?><iati-activities version=\"2.03\"/>",
    ] {
        let verdict = validate_schema(broken.as_bytes());
        assert!(matches!(verdict, Err(ValidateError::NotWellFormed { .. })), "{broken:?} gave {verdict:?}");
    }
    let error = validate_schema("<a>\n  <b c='1' c='2'/></a>".as_bytes()).expect_err("repeated attribute");
    assert_eq!(error.to_string(), "line 2, column 12: not well-formed XML: the attribute `c` is repeated");
    assert!(error.message(Lang::Es).starts_with("línea 2, columna 12: el XML no está bien formado"));
}

#[test]
fn encodings() {
    let text = activity("", "<sector code=\"1\"><narrative>Educación básica</narrative></sector>");
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in text.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    assert_eq!(validate_schema(utf16.as_slice()).map(|p| p.len()).ok(), Some(0));
    let latin1: Vec<u8> =
        text.replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"").chars().map(|c| c as u32 as u8).collect();
    assert_eq!(validate_schema(latin1.as_slice()).map(|p| p.len()).ok(), Some(0));
    // Latin-1 bytes in a file that does not say so are not UTF-8.
    let undeclared: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    assert!(matches!(validate_schema(undeclared.as_slice()), Err(ValidateError::NotWellFormed { .. })));
    let ebcdic = text.replace("UTF-8", "EBCDIC-US");
    assert!(matches!(
        validate_schema(ebcdic.as_bytes()),
        Err(ValidateError::Input { line: 1, column: 1, error: InputError::Encoding(ref name) }) if name == "EBCDIC-US"
    ));
}

#[test]
fn problems_are_capped() {
    let many = activity("", &"<sector/>".repeat(50));
    let limits = Limits { max_problems: 10, ..Limits::default() };
    let p = validate_schema_with(many.as_bytes(), limits).expect("well-formed");
    assert_eq!(p.len(), 11);
    assert_eq!(p[10].detail, Detail::TooManyProblems { omitted: 40 });
    assert!(p[10].message(Lang::Es).contains("40"));
}

#[test]
fn every_problem_explains_itself_in_both_languages() {
    let xml = activity(
        "hierarchy=\" 1\" foo=\"1\"",
        r#"<other-identifier ref="a"/><sector code="1" xml:lang="?">x</sector><z:b/>
           <budget><period-start iso-date="2024-1-1"/></budget><sector code="1" xsi:nil="1" xsi:type="q:t"/>"#,
    );
    let p = problems(&xml);
    assert!(p.len() >= 8, "{p:?}");
    for problem in &p {
        let (es, en) = (problem.message(Lang::Es), problem.message(Lang::En));
        assert!(!es.is_empty() && !en.is_empty() && es != en, "{problem:?}");
        assert!(!es.ends_with('.') && !en.ends_with('.'), "{es} / {en}");
    }
}
