//! What the generators share: their arguments (`--data DIR`, `--check`), formatting generated
//! Rust with rustfmt, and writing a file or checking that the committed one is up to date.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail, ensure};

/// A generator's arguments.
pub struct Options {
    /// The reference data (default `../shared/data` beside the workspace).
    pub data: PathBuf,
    /// Write nothing; fail if a committed file differs from what would be generated.
    pub check: bool,
}

impl Options {
    /// Parses `--data DIR` (or `--data=DIR`) and `--check`; `None` when help was asked for.
    pub fn parse(mut args: impl Iterator<Item = String>, root: &Path) -> Result<Option<Options>> {
        let mut data = None;
        let mut check = false;
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--check" => check = true,
                "--data" => data = Some(PathBuf::from(args.next().context("--data needs a directory")?)),
                s if s.starts_with("--data=") => data = Some(PathBuf::from(&s["--data=".len()..])),
                "-h" | "--help" => return Ok(None),
                other => bail!("unknown argument `{other}`"),
            }
        }
        Ok(Some(Options { data: data.unwrap_or_else(|| root.join("../shared/data")), check }))
    }
}

/// Parses the arguments of a generator that reads only the repository: `--check`. `None` when
/// help was asked for.
pub fn parse_check(args: impl Iterator<Item = String>) -> Result<Option<bool>> {
    let mut check = false;
    for arg in args {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => return Ok(None),
            other => bail!("unknown argument `{other}`"),
        }
    }
    Ok(Some(check))
}

/// Writes `content` to `path`, or with `check` fails if the file there differs, naming the
/// first line that does and the task that regenerates it. `what` says what the file holds.
pub fn write_or_check(path: &Path, content: &str, check: bool, task: &str, what: &str) -> Result<()> {
    if check {
        let current = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        if current != content {
            let line = current
                .lines()
                .zip(content.lines())
                .position(|(a, b)| a != b)
                .map_or_else(|| current.lines().count().min(content.lines().count()) + 1, |i| i + 1);
            bail!("{} is out of date (first difference at line {line}); run `cargo xtask {task}`", path.display());
        }
        eprintln!("{} is up to date ({what})", path.display());
    } else {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(path, content).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {} ({what}, {} bytes)", path.display(), content.len());
    }
    Ok(())
}

/// `source` as rustfmt formats it for a file at `path` (so that the workspace's
/// `rustfmt.toml` applies).
pub fn rustfmt(source: &str, path: &Path) -> Result<String> {
    let rustfmt = std::env::var_os("RUSTFMT").map_or_else(|| PathBuf::from("rustfmt"), PathBuf::from);
    let dir = path.parent().context("output has no directory")?;
    let mut child = Command::new(&rustfmt)
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {} (install it with `rustup component add rustfmt`)", rustfmt.display()))?;
    let mut stdin = child.stdin.take().context("rustfmt stdin")?;
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().context("waiting for rustfmt")?;
    writer.join().map_err(|_| anyhow::anyhow!("rustfmt writer panicked"))?.context("writing to rustfmt")?;
    ensure!(output.status.success(), "rustfmt failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).context("rustfmt output is not UTF-8")
}
