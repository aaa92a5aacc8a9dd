//! `coopera user`: the accounts of the web application and the API. The CLI is a local
//! administrator's tool: whoever can open the database file can change any account.

use std::io::BufRead as _;

use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;
use coopera_store::Who;

use super::{Ctx, Failure, print, print_table};
use crate::cli::{TableFormat, UserCommand};
use crate::output::Table;

pub fn run(ctx: &Ctx, command: UserCommand) -> Result<(), Failure> {
    let by = Who::local(&ctx.user);
    let fail = |e| Failure::store(e, ctx.lang);
    match command {
        UserCommand::Add { name, role, scope, password_stdin: _ } => {
            let role = AccountRole::parse(&role).map_err(Failure::at_flag("--role", ctx.lang))?;
            let scope = Scope::parse(&scope).map_err(Failure::at_flag("--scope", ctx.lang))?;
            let password = read_password(ctx)?;
            let store = ctx.open()?;
            let account = store.add_account(by, &name, role, &scope, &password).map_err(fail)?;
            print(&match ctx.lang {
                coopera_domain::Lang::Es => format!(
                    "cuenta `{}` creada: {}, alcance {}",
                    account.name,
                    role.label(ctx.lang),
                    account.scope.label(ctx.lang)
                ),
                coopera_domain::Lang::En => format!(
                    "account `{}` created: {}, scope {}",
                    account.name,
                    role.label(ctx.lang),
                    account.scope.label(ctx.lang)
                ),
            });
        }
        UserCommand::List { format } => list(ctx, format)?,
        UserCommand::Disable { name } => {
            ctx.open_existing()?.disable_account(by, &name).map_err(fail)?;
            print(ctx.pick(
                "cuenta desactivada; sus sesiones y tokens ya no sirven",
                "account disabled; its sessions and tokens no longer work",
            ));
        }
        UserCommand::ResetPassword { name, password_stdin: _ } => {
            let password = read_password(ctx)?;
            ctx.open_existing()?.reset_password(by, &name, &password).map_err(fail)?;
            print(ctx.pick(
                "contraseña cambiada; las sesiones de la cuenta terminaron",
                "password changed; the account's sessions ended",
            ));
        }
        UserCommand::Token { name, label } => {
            let token = ctx.open_existing()?.issue_token(by, &name, &label).map_err(fail)?;
            eprintln!(
                "{}",
                ctx.pick(
                    "token emitido; se muestra una sola vez (úselo en `Authorization: Bearer …`):",
                    "token issued; it is shown once (use it in `Authorization: Bearer …`):"
                )
            );
            print(&token);
        }
        UserCommand::RevokeToken { name, label } => {
            let n = ctx.open_existing()?.revoke_token(by, &name, label.as_deref()).map_err(fail)?;
            print(&match ctx.lang {
                coopera_domain::Lang::Es => format!("{n} token(s) revocado(s)"),
                coopera_domain::Lang::En => format!("{n} token(s) revoked"),
            });
        }
        UserCommand::Tokens { name, format } => {
            let tokens = ctx.open_existing()?.tokens(&name).map_err(fail)?;
            let mut t = Table::new(&[
                ("label", ctx.pick("Nombre", "Label"), false),
                ("created_at", ctx.pick("Emitido (UTC)", "Issued (UTC)"), false),
                ("revoked", ctx.pick("Revocado", "Revoked"), false),
            ]);
            for tok in tokens {
                let revoked = if tok.revoked { ctx.pick("sí", "yes") } else { ctx.pick("no", "no") };
                t.push(vec![tok.label.into(), tok.created_at.into(), revoked.into()]);
            }
            print_table(&t, format);
        }
    }
    Ok(())
}

fn list(ctx: &Ctx, format: TableFormat) -> Result<(), Failure> {
    let accounts = ctx.open_existing()?.accounts().map_err(|e| Failure::store(e, ctx.lang))?;
    let mut t = Table::new(&[
        ("name", ctx.pick("Cuenta", "Account"), false),
        ("role", ctx.pick("Rol", "Role"), false),
        ("scope", ctx.pick("Alcance", "Scope"), false),
        ("disabled", ctx.pick("Desactivada", "Disabled"), false),
        ("created_at", ctx.pick("Creada (UTC)", "Created (UTC)"), false),
    ]);
    for a in accounts {
        let disabled = if a.disabled { ctx.pick("sí", "yes") } else { ctx.pick("no", "no") };
        let role = if format == TableFormat::Table { a.role.label(ctx.lang) } else { a.role.code() };
        t.push(vec![a.name.into(), role.into(), a.scope.to_string().into(), disabled.into(), a.created_at.into()]);
    }
    print_table(&t, format);
    Ok(())
}

/// One line of standard input, without its line ending.
fn read_password(ctx: &Ctx) -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        Failure::one(match ctx.lang {
            coopera_domain::Lang::Es => format!("no se pudo leer la contraseña de la entrada estándar: {e}"),
            coopera_domain::Lang::En => format!("cannot read the password from standard input: {e}"),
        })
    })?;
    let password = line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(&line);
    Ok(password.to_owned())
}
