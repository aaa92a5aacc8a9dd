//! `coopera codelist list|show`: the codelists compiled into Coopera.

use coopera_domain::Lang;
use coopera_domain::codelists::{self, Code, ListInfo};

use super::{Ctx, Failure, print, print_table};
use crate::cli::{CodelistCommand, TableFormat};
use crate::output::Table;

fn normalize(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase()
}

pub fn run(ctx: &Ctx, cmd: CodelistCommand) -> Result<(), Failure> {
    let lists = codelists::every_list();
    match cmd {
        CodelistCommand::List { format } => {
            let mut t = Table::new(&[
                ("list", ctx.pick("Lista", "List"), false),
                ("source", ctx.pick("Fuente", "Source"), false),
                ("codes", ctx.pick("Códigos", "Codes"), true),
            ]);
            for l in &lists {
                t.push(vec![l.name.into(), l.source.into(), l.codes.len().into()]);
            }
            print_table(&t, format);
            Ok(())
        }
        CodelistCommand::Show { list, code, format } => {
            let Some(found) = codelists::find_list(&list) else {
                let wanted = normalize(&list);
                let mut near: Vec<(usize, &str)> =
                    lists.iter().map(|l| (strsim_distance(&wanted, &normalize(l.name)), l.name)).collect();
                near.sort();
                let near: Vec<&str> = near.iter().take(3).map(|n| n.1).collect();
                return Err(Failure::one(match ctx.lang {
                    Lang::Es => format!(
                        "lista desconocida `{list}`; ¿quiso decir {}? (`coopera codelist list` las muestra todas)",
                        near.join(", ")
                    ),
                    Lang::En => format!(
                        "unknown list `{list}`; did you mean {}? (`coopera codelist list` shows them all)",
                        near.join(", ")
                    ),
                }));
            };
            match code {
                Some(code) => show_code(ctx, &found, &code, format),
                None => {
                    print_table(&codes_table(ctx, found.codes.iter()), format);
                    Ok(())
                }
            }
        }
    }
}

fn strsim_distance(a: &str, b: &str) -> usize {
    // Prefix matches first, then edit distance.
    if b.starts_with(a) || a.starts_with(b) { 0 } else { strsim::levenshtein(a, b) }
}

fn codes_table<'a>(ctx: &Ctx, codes: impl Iterator<Item = &'a Code>) -> Table {
    let mut t = Table::new(&[
        ("code", ctx.pick("Código", "Code"), false),
        ("name", ctx.pick("Nombre", "Name"), false),
        ("category", ctx.pick("Categoría", "Category"), false),
        ("withdrawn", ctx.pick("Retirado", "Withdrawn"), false),
    ]);
    for c in codes {
        let withdrawn = if c.withdrawn { ctx.pick("sí", "yes") } else { "" };
        t.push(vec![c.code.into(), c.name(ctx.lang).into(), c.category.unwrap_or("").into(), withdrawn.into()]);
    }
    t
}

fn show_code(ctx: &Ctx, list: &ListInfo, code: &str, format: TableFormat) -> Result<(), Failure> {
    let found = list.codes.iter().find(|c| c.code == code.trim()).or_else(|| {
        // Coopera's own codes and INEGI state codes are forgiving about case and padding.
        list.codes
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code.trim()) || c.code.trim_start_matches('0') == code.trim())
    });
    let Some(c) = found else {
        let codelist = codelists::by_name(list.name);
        let near: Vec<String> = match codelist {
            Some(l) => l.suggest(code, 3).iter().map(|c| format!("{} ({})", c.code, c.name(ctx.lang))).collect(),
            None => list.codes.iter().map(|c| c.code.to_owned()).collect(),
        };
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!("; {} {}?", ctx.pick("¿quiso decir", "did you mean"), near.join(", "))
        };
        return Err(Failure::one(match ctx.lang {
            Lang::Es => format!("el código `{code}` no está en la lista {}{hint}", list.name),
            Lang::En => format!("code `{code}` is not in the {} list{hint}", list.name),
        }));
    };
    match format {
        TableFormat::Table => {
            let mut line = format!("{}  {}", c.code, c.name(ctx.lang));
            if let Some(cat) = c.category {
                line.push_str(&format!("  [{}: {cat}]", ctx.pick("categoría", "category")));
            }
            if c.withdrawn {
                line.push_str(ctx.pick("  (retirado)", "  (withdrawn)"));
            }
            print(&line);
        }
        other => print_table(&codes_table(ctx, std::iter::once(c)), other),
    }
    Ok(())
}
