//! What each schema problem means and how to fix it, in Spanish and English.

use coopera_domain::Lang;

use super::{Detail, Expected, ValidateError, ValueType, XsiTypeProblem};

/// What `detail` means and how to fix it, in `lang`. Each kind of problem with more than a
/// line to say has its own function below, grouped as the problems are: the elements' place,
/// their content, values, attributes and the file as a whole.
pub fn render(detail: &Detail, lang: Lang) -> String {
    match detail {
        Detail::UnknownRoot { element } => unknown_root(element, lang),
        Detail::UnexpectedElement { element, parent, expected, allowed_elsewhere: true } => {
            out_of_place(element, parent, &list(expected, lang), lang)
        }
        Detail::UnexpectedElement { element, parent, expected, allowed_elsewhere: false } => {
            not_allowed_in(element, parent, &list(expected, lang), lang)
        }
        Detail::MissingElement { parent, expected } => missing_element(parent, &list(expected, lang), lang),
        Detail::UndeclaredPrefix { name, prefix } => undeclared_prefix(name, prefix, lang),
        Detail::UndeclaredElement { element } => undeclared_element(element, lang),
        Detail::ElementInText { element, parent } => element_in_text(element, parent, lang),
        Detail::ElementInEmpty { element, parent } => match lang {
            Lang::Es => format!("<{parent}> debe estar vacío y contiene <{element}>. Quite el contenido"),
            Lang::En => format!("<{parent}> must be empty but contains <{element}>. Remove the content"),
        },
        Detail::TextNotAllowed { element } => text_not_allowed(element, lang),
        Detail::TextInEmpty { element } => match lang {
            Lang::Es => format!("<{element}> debe estar vacío, sin texto ni espacios. Escríbalo como <{element}/>"),
            Lang::En => format!("<{element}> must be empty, without text or spaces. Write it as <{element}/>"),
        },
        Detail::InvalidValue { element, attribute, value, expected } => {
            invalid_value(element, attribute.as_deref(), value, &hint(expected, lang), lang)
        }
        Detail::FixedValue { element, attribute, value, fixed } => match lang {
            Lang::Es => format!("El atributo {attribute} de <{element}> debe valer «{fixed}», no «{value}»"),
            Lang::En => format!("Attribute {attribute} of <{element}> must be \"{fixed}\", not \"{value}\""),
        },
        Detail::MissingAttribute { element, attribute } => {
            let hint = attribute_hint(attribute, lang);
            match lang {
                Lang::Es => format!("Falta el atributo obligatorio {attribute} en <{element}>. Añádalo{hint}"),
                Lang::En => format!("The required attribute {attribute} is missing on <{element}>. Add it{hint}"),
            }
        }
        Detail::AttributeNotAllowed { element, attribute } => attribute_not_allowed(element, attribute, lang),
        Detail::UndeclaredAttribute { element, attribute } => match lang {
            Lang::Es => format!("El atributo {attribute} de <{element}> no está declarado en el esquema. Quítelo"),
            Lang::En => format!("Attribute {attribute} of <{element}> is not declared by the schema. Remove it"),
        },
        Detail::BadXsiType { element, value, reason } => bad_xsi_type(element, value, *reason, lang),
        Detail::NotNillable { element } => not_nillable(element, lang),
        Detail::DuplicateId { element, value } => duplicate_id(element, value, lang),
        Detail::TooManyProblems { omitted } => match lang {
            Lang::Es => {
                format!("Hay {omitted} problemas más que no se muestran. Corrija los anteriores y valide de nuevo")
            }
            Lang::En => format!("There are {omitted} more problems not shown. Fix the ones above and validate again"),
        },
    }
}

// The elements' place.

fn unknown_root(element: &str, lang: Lang) -> String {
    match lang {
        Lang::Es => format!(
            "<{element}> no es un elemento raíz del esquema IATI 2.03: un archivo de actividades empieza con \
             <iati-activities version=\"2.03\"> y uno de organizaciones con <iati-organisations version=\"2.03\">"
        ),
        Lang::En => format!(
            "<{element}> is not a root element of the IATI 2.03 schema: an activity file starts with \
             <iati-activities version=\"2.03\"> and an organisation file with <iati-organisations version=\"2.03\">"
        ),
    }
}

/// An element the parent allows, but not here (wrong order, or one too many); `allowed` lists
/// what the schema expects instead, empty when nothing more fits.
fn out_of_place(element: &str, parent: &str, allowed: &str, lang: Lang) -> String {
    match (lang, allowed.is_empty()) {
        (Lang::Es, false) => format!(
            "<{element}> está fuera de lugar en <{parent}>: en este punto se espera {allowed}. Ordene los \
             elementos como lo fija el esquema y no repita los que solo pueden aparecer una vez"
        ),
        (Lang::Es, true) => format!(
            "<{element}> está fuera de lugar en <{parent}>: aquí ya no cabe ningún elemento. Ordene los \
             elementos como lo fija el esquema y no repita los que solo pueden aparecer una vez"
        ),
        (Lang::En, false) => format!(
            "<{element}> is out of place in <{parent}>: at this point the schema expects {allowed}. Put the \
             elements in the order the schema sets and do not repeat those that may appear only once"
        ),
        (Lang::En, true) => format!(
            "<{element}> is out of place in <{parent}>: no more elements fit here. Put the elements in the \
             order the schema sets and do not repeat those that may appear only once"
        ),
    }
}

/// An element the parent allows nowhere: a misspelling, or an extension outside its own
/// namespace (or in one, where the parent admits no extensions).
fn not_allowed_in(element: &str, parent: &str, allowed: &str, lang: Lang) -> String {
    let namespaced = element.contains(':');
    match lang {
        Lang::Es if namespaced => format!(
            "<{element}> no está permitido en <{parent}>, que no admite elementos de otros espacios de nombres \
             en este punto. Quítelo o muévalo a un elemento que admita extensiones"
        ),
        Lang::Es => format!(
            "<{element}> no es un elemento del estándar IATI permitido en <{parent}>{}. Revise cómo se \
             escribe, quítelo o, si es una extensión propia, póngalo en su propio espacio de nombres (p. ej. \
             <miorg:{element}> con xmlns:miorg declarado)",
            if allowed.is_empty() { String::new() } else { format!("; en este punto se espera {allowed}") }
        ),
        Lang::En if namespaced => format!(
            "<{element}> is not allowed in <{parent}>, which admits no elements of other namespaces at this \
             point. Remove it or move it into an element that admits extensions"
        ),
        Lang::En => format!(
            "<{element}> is not an element of the IATI standard allowed in <{parent}>{}. Check its \
             spelling, remove it or, if it is an extension of your own, put it in its own namespace (e.g. \
             <myorg:{element}> with xmlns:myorg declared)",
            if allowed.is_empty() { String::new() } else { format!("; at this point the schema expects {allowed}") }
        ),
    }
}

fn missing_element(parent: &str, needed: &str, lang: Lang) -> String {
    match lang {
        Lang::Es => format!(
            "<{parent}> termina antes de un elemento obligatorio: falta {needed}. Añádalo en su lugar dentro de <{parent}>"
        ),
        Lang::En => format!(
            "<{parent}> ends before a required element: {needed} is missing. Add it in its place inside <{parent}>"
        ),
    }
}

fn undeclared_prefix(name: &str, prefix: &str, lang: Lang) -> String {
    match lang {
        Lang::Es => format!(
            "El prefijo {prefix} de {name} no está declarado. Declárelo con xmlns:{prefix}=\"…\" (el espacio de \
             nombres de su extensión) en este elemento o en uno que lo contenga"
        ),
        Lang::En => format!(
            "The prefix {prefix} of {name} is not declared. Declare it with xmlns:{prefix}=\"…\" (your \
             extension's namespace) on this element or one that contains it"
        ),
    }
}

fn undeclared_element(element: &str, lang: Lang) -> String {
    match lang {
        Lang::Es => {
            format!("<{element}> no está declarado en el esquema y aquí solo se admiten elementos declarados. Quítelo")
        }
        Lang::En => {
            format!("<{element}> is not declared by the schema and only declared elements are allowed here. Remove it")
        }
    }
}

// The elements' content.

fn element_in_text(element: &str, parent: &str, lang: Lang) -> String {
    match lang {
        Lang::Es => format!(
            "<{parent}> solo admite texto, no elementos como <{element}>. Deje solo el texto (o muévalo a un \
             <narrative> si el elemento padre lo admite)"
        ),
        Lang::En => format!(
            "<{parent}> holds text only, not elements such as <{element}>. Keep only the text (or move it to a \
             <narrative> if the parent allows one)"
        ),
    }
}

fn text_not_allowed(element: &str, lang: Lang) -> String {
    match lang {
        Lang::Es => format!(
            "<{element}> contiene texto, pero solo admite elementos. Ponga el texto en un elemento hijo \
             (normalmente <narrative>) o, si es un código, en el atributo correspondiente (p. ej. code=\"…\")"
        ),
        Lang::En => format!(
            "<{element}> contains text but holds elements only. Put the text in a child element (usually \
             <narrative>) or, if it is a code, in the matching attribute (e.g. code=\"…\")"
        ),
    }
}

// Values.

/// A value of an attribute (or, without one, of the element's text) that is not `hint`.
fn invalid_value(element: &str, attribute: Option<&str>, value: &str, hint: &str, lang: Lang) -> String {
    let empty = value.trim().is_empty();
    match (attribute, lang, empty) {
        (Some(a), Lang::Es, true) => format!("El atributo {a} de <{element}> está vacío y debe ser {hint}"),
        (Some(a), Lang::En, true) => format!("Attribute {a} of <{element}> is empty and must be {hint}"),
        (None, Lang::Es, true) => format!("<{element}> está vacío y debe contener {hint}"),
        (None, Lang::En, true) => format!("<{element}> is empty and must contain {hint}"),
        (Some(a), Lang::Es, false) => {
            format!("El atributo {a} de <{element}> vale «{value}», que no es {hint}. Corrija el valor")
        }
        (Some(a), Lang::En, false) => {
            format!("Attribute {a} of <{element}> is \"{value}\", which is not {hint}. Correct the value")
        }
        (None, Lang::Es, false) => {
            format!("El contenido de <{element}> es «{value}», que no es {hint}. Corrija el valor")
        }
        (None, Lang::En, false) => {
            format!("The content of <{element}> is \"{value}\", which is not {hint}. Correct the value")
        }
    }
}

// Attributes.

fn attribute_not_allowed(element: &str, attribute: &str, lang: Lang) -> String {
    match (lang, attribute.contains(':')) {
        (Lang::Es, true) => {
            format!("<{element}> no admite atributos de otros espacios de nombres como {attribute}. Quítelo")
        }
        (Lang::Es, false) => format!(
            "<{element}> no admite el atributo {attribute}. Revise cómo se escribe o quítelo; si es una extensión \
             propia, póngalo en su propio espacio de nombres (p. ej. miorg:{attribute} con xmlns:miorg declarado)"
        ),
        (Lang::En, true) => {
            format!("<{element}> admits no attributes of other namespaces such as {attribute}. Remove it")
        }
        (Lang::En, false) => format!(
            "<{element}> does not allow the attribute {attribute}. Check its spelling or remove it; if it is an \
             extension of your own, put it in its own namespace (e.g. myorg:{attribute} with xmlns:myorg declared)"
        ),
    }
}

fn bad_xsi_type(element: &str, value: &str, reason: XsiTypeProblem, lang: Lang) -> String {
    let why = match (reason, lang) {
        (XsiTypeProblem::UnboundPrefix, Lang::Es) => "su prefijo no está declarado",
        (XsiTypeProblem::UnboundPrefix, Lang::En) => "its prefix is not declared",
        (XsiTypeProblem::Unknown, Lang::Es) => "no nombra un tipo del esquema",
        (XsiTypeProblem::Unknown, Lang::En) => "it names no type of the schema",
        (XsiTypeProblem::NotDerived, Lang::Es) => "ese tipo no deriva del tipo declarado del elemento",
        (XsiTypeProblem::NotDerived, Lang::En) => "that type does not derive from the element's declared type",
    };
    match lang {
        Lang::Es => format!("xsi:type=«{value}» en <{element}> no sirve: {why}. Quite el atributo xsi:type"),
        Lang::En => {
            format!("xsi:type=\"{value}\" on <{element}> cannot be used: {why}. Remove the xsi:type attribute")
        }
    }
}

fn not_nillable(element: &str, lang: Lang) -> String {
    match lang {
        Lang::Es => {
            format!("<{element}> no admite xsi:nil. Quite el atributo xsi:nil (u omita el elemento si es opcional)")
        }
        Lang::En => format!(
            "<{element}> does not allow xsi:nil. Remove the xsi:nil attribute (or leave the element out if it is optional)"
        ),
    }
}

// The file as a whole.

fn duplicate_id(element: &str, value: &str, lang: Lang) -> String {
    match lang {
        Lang::Es => {
            format!("El identificador xml:id «{value}» de <{element}> ya se usó antes en el archivo. Use uno distinto")
        }
        Lang::En => {
            format!("The xml:id \"{value}\" on <{element}> is already used earlier in the file. Use a different one")
        }
    }
}

/// Elements listed in a message at most; the rest are summarised.
const LIST_MAX: usize = 8;

/// `<narrative>`, `<narrative> or <title>`, `<a>, <b>, 12 other elements or an element of
/// another namespace`.
fn list(expected: &Expected, lang: Lang) -> String {
    let mut items: Vec<String> = expected.elements.iter().take(LIST_MAX).map(|e| format!("<{e}>")).collect();
    if expected.elements.len() > LIST_MAX {
        let more = expected.elements.len() - LIST_MAX;
        items.push(match lang {
            Lang::Es => format!("otros {more} elementos"),
            Lang::En => format!("{more} other elements"),
        });
    }
    if expected.other_namespaces {
        items.push(lang.pick("un elemento de otro espacio de nombres", "an element of another namespace").to_owned());
    }
    let or = lang.pick(" o ", " or ");
    match items.len() {
        0 => String::new(),
        1 => items.remove(0),
        n => {
            let last = items.remove(n - 1);
            format!("{}{or}{last}", items.join(", "))
        }
    }
}

/// What a valid value of the type looks like.
fn hint(expected: &ValueType, lang: Lang) -> String {
    if !expected.options.is_empty() {
        let options: Vec<String> = expected.options.iter().map(|o| format!("«{o}»")).collect();
        return format!("{} {}", lang.pick("uno de", "one of"), options.join(", "));
    }
    let (es, en) = match expected.name {
        "xs:decimal" => (
            "un número decimal válido: dígitos con punto decimal, sin separador de miles ni símbolo de moneda, con a lo \
             sumo 24 cifras significativas (p. ej. 1500.50)",
            "a valid decimal number: digits with a decimal point, no thousands separator or currency sign, at most 24 \
             significant digits (e.g. 1500.50)",
        ),
        "xs:date" => (
            "una fecha AAAA-MM-DD válida, sin hora ni espacios (p. ej. 2024-03-31)",
            "a valid YYYY-MM-DD date, without a time or spaces (e.g. 2024-03-31)",
        ),
        "xs:dateTime" => (
            "una fecha y hora AAAA-MM-DDThh:mm:ss válida, con zona horaria opcional y sin espacios al principio \
             (p. ej. 2024-03-31T12:00:00Z)",
            "a valid YYYY-MM-DDThh:mm:ss date and time, with an optional time zone and no leading spaces \
             (e.g. 2024-03-31T12:00:00Z)",
        ),
        "xs:boolean" => {
            ("un booleano: true, false, 1 o 0, en minúsculas", "a boolean: true, false, 1 or 0, in lower case")
        }
        "xs:int" => (
            "un número entero entre -2147483648 y 2147483647, sin espacios ni decimales",
            "a whole number between -2147483648 and 2147483647, without spaces or decimals",
        ),
        "xs:long" | "xs:integer" => ("un número entero sin decimales", "a whole number without decimals"),
        "xs:nonNegativeInteger" => ("un número entero mayor o igual que 0", "a whole number of 0 or more"),
        "xs:positiveInteger" => {
            ("un número entero mayor que 0 (p. ej. un año, 2024)", "a whole number above 0 (e.g. a year, 2024)")
        }
        "xs:anyURI" => (
            "una URI válida: los caracteres especiales deben ir codificados (p. ej. %20; un % solo, corchetes o un \
             segundo # no se admiten)",
            "a valid URI: special characters must be percent-encoded (e.g. %20; a bare %, brackets or a second # are \
             not allowed)",
        ),
        "xml:lang" | "xs:language" => (
            "un código de idioma como es, en o es-MX (letras, y partes separadas por guiones de 1 a 8 caracteres)",
            "a language code such as es, en or es-MX (letters, and hyphen-separated parts of 1 to 8 characters)",
        ),
        "xs:NMTOKEN" => (
            "una sola palabra de letras, cifras, guiones, puntos o dos puntos, sin espacios ni / o #",
            "a single word of letters, digits, hyphens, dots or colons, without spaces or / or #",
        ),
        "xs:NCName" | "xs:ID" | "xs:Name" => (
            "un nombre XML: empieza por letra o _, sigue con letras, cifras, guiones o puntos",
            "an XML name: a letter or _ followed by letters, digits, hyphens or dots",
        ),
        _ => ("un valor válido de este tipo", "a valid value of its type"),
    };
    let text = lang.pick(es, en);
    if expected.name.is_empty() { text.to_owned() } else { format!("{text} [{}]", expected.name) }
}

/// A hint for the commonest required attributes.
fn attribute_hint(attribute: &str, lang: Lang) -> String {
    let (es, en) = match attribute {
        "iso-date" | "value-date" | "extraction-date" => (" con una fecha AAAA-MM-DD", " with a YYYY-MM-DD date"),
        "code" => (" con el código de la lista IATI que corresponda", " with the code from the matching IATI codelist"),
        "vocabulary" => (" con el código del vocabulario usado", " with the code of the vocabulary used"),
        "version" => (" con la versión del estándar, p. ej. 2.03", " with the version of the standard, e.g. 2.03"),
        "srsName" => (
            " con el sistema de referencia, p. ej. http://www.opengis.net/def/crs/EPSG/0/4326",
            " with the reference system, e.g. http://www.opengis.net/def/crs/EPSG/0/4326",
        ),
        _ => ("", ""),
    };
    lang.pick(es, en).to_owned()
}

pub fn render_error(error: &ValidateError, lang: Lang) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    match error {
        ValidateError::NotWellFormed { line, column, message } => {
            format!("línea {line}, columna {column}: el XML no está bien formado: {message}")
        }
        ValidateError::Dtd { line, column } => format!(
            "línea {line}, columna {column}: el archivo declara una DTD (<!DOCTYPE>); por seguridad no se admiten DTD. \
             Quite la declaración <!DOCTYPE …>"
        ),
        ValidateError::Entity { line, column, name } => format!(
            "línea {line}, columna {column}: entidad desconocida `&{name};`; solo se admiten &lt; &gt; &amp; &apos; \
             &quot; y referencias numéricas (p. ej. &#233;)"
        ),
        ValidateError::TooDeep { line, column, limit } => {
            format!("línea {line}, columna {column}: elementos anidados a más de {limit} niveles")
        }
        ValidateError::TooLarge { line, column, limit } => {
            format!("línea {line}, columna {column}: más de {limit} bytes de texto o de valor de atributo sin marcas")
        }
        ValidateError::Input { line, column, error } => {
            format!("línea {line}, columna {column}: {}", error.message(lang))
        }
        ValidateError::Io(e) => format!("error al leer el archivo: {e}"),
    }
}
