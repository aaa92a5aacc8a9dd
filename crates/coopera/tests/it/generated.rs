//! Generated IATI 2.03 files for the hardening tests: many small, valid activities spread over
//! files, each file naming its own publisher, so that what was stored can be traced back to
//! the file it came from.

use std::path::Path;

/// A seeded generator (SplitMix64): the same seed gives the same runs, and the seed is printed
/// so that a failing run can be repeated.
pub(super) struct Rng(u64);

impl Rng {
    /// The seed from `var` when it is set to a number, else `default`; printed either way.
    pub(super) fn from_env(var: &str, default: u64) -> Rng {
        let seed = std::env::var(var).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(default);
        eprintln!("seed {seed} (set {var} to repeat or vary it)");
        Rng(seed)
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `low..high`.
    pub(super) fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low).max(1)
    }
}

/// What a generated set of files holds.
#[derive(Debug, Clone)]
pub(super) struct Set {
    /// The identifier prefix of every activity (`XM-CRASH`).
    pub prefix: String,
    pub files: usize,
    pub per_file: usize,
}

impl Set {
    pub(super) fn file_name(&self, file: usize) -> String {
        format!("{}-{file:03}.xml", self.prefix.to_lowercase())
    }

    pub(super) fn activity_id(&self, file: usize, n: usize) -> String {
        format!("{}-F{file:03}-{n:04}", self.prefix)
    }

    /// The IATI identifier of the file's own publisher, which only this file names.
    pub(super) fn publisher_ref(&self, file: usize) -> String {
        format!("{}-PUB{file:03}", self.prefix)
    }

    /// The key the import gives the publisher's organisation (see `coopera_iati::read::map::org_key`).
    pub(super) fn publisher_key(&self, file: usize) -> String {
        self.publisher_ref(file).to_lowercase()
    }

    pub(super) fn activities(&self) -> usize {
        self.files * self.per_file
    }

    /// The file an activity identifier of this set comes from.
    pub(super) fn file_of(&self, id: &str) -> Option<usize> {
        let rest = id.strip_prefix(&format!("{}-F", self.prefix))?;
        rest.split('-').next()?.parse().ok()
    }

    /// Writes the files into `dir`, the activities' figures drawn from `rng`.
    pub(super) fn write(&self, dir: &Path, rng: &mut Rng) {
        for file in 0..self.files {
            let mut xml = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                 <iati-activities version=\"2.03\" generated-datetime=\"2024-05-01T00:00:00Z\">\n",
            );
            for n in 0..self.per_file {
                xml.push_str(&self.activity(file, n, rng));
            }
            xml.push_str("</iati-activities>\n");
            std::fs::write(dir.join(self.file_name(file)), xml).expect("write a generated IATI file");
        }
    }

    fn activity(&self, file: usize, n: usize, rng: &mut Rng) -> String {
        let id = self.activity_id(file, n);
        let publisher = self.publisher_ref(file);
        let year = 2015 + rng.range(0, 8);
        let sector_share = rng.range(10, 91);
        let (sector_a, sector_b) =
            [("15110", "41010"), ("74020", "12220"), ("31120", "23210")][rng.range(0, 3) as usize];
        let country = ["MX", "GT", "HN", "SV", "CO"][rng.range(0, 5) as usize];
        let budget = rng.range(10_000, 5_000_000);
        let mut transactions = String::new();
        for t in 0..rng.range(2, 6) {
            let month = 1 + t * 2;
            let value = rng.range(1_000, budget / 2);
            transactions.push_str(&format!(
                "  <transaction>\n   <transaction-type code=\"{}\"/>\n   <transaction-date iso-date=\"{year}-{month:02}-15\"/>\n   \
                 <value value-date=\"{year}-{month:02}-15\">{value}.{cents:02}</value>\n  </transaction>\n",
                if t == 0 { 2 } else { 3 },
                cents = rng.range(0, 100),
            ));
        }
        format!(
            " <iati-activity default-currency=\"USD\" xml:lang=\"es\">\n  \
             <iati-identifier>{id}</iati-identifier>\n  \
             <reporting-org ref=\"{publisher}\" type=\"40\"><narrative>Publicador {file}</narrative></reporting-org>\n  \
             <title><narrative>Actividad {n} del archivo {file}</narrative><narrative xml:lang=\"en\">Activity {n} of file {file}</narrative></title>\n  \
             <description type=\"1\"><narrative>Fortalecimiento de capacidades institucionales, fase {n}, con talleres, \
             asesorías técnicas e intercambio de expertos entre las instituciones participantes.</narrative></description>\n  \
             <participating-org ref=\"{publisher}\" role=\"1\" type=\"40\"><narrative>Publicador {file}</narrative></participating-org>\n  \
             <participating-org ref=\"{prefix}-SRE\" role=\"4\" type=\"10\"><narrative>Secretaría de Relaciones Exteriores</narrative></participating-org>\n  \
             <activity-status code=\"2\"/>\n  \
             <activity-date type=\"2\" iso-date=\"{year}-01-10\"/>\n  \
             <activity-date type=\"3\" iso-date=\"{end}-12-20\"/>\n  \
             <recipient-country code=\"{country}\" percentage=\"100\"/>\n  \
             <sector vocabulary=\"1\" code=\"{sector_a}\" percentage=\"{sector_share}\"/>\n  \
             <sector vocabulary=\"1\" code=\"{sector_b}\" percentage=\"{rest}\"/>\n  \
             <budget type=\"1\" status=\"1\"><period-start iso-date=\"{year}-01-01\"/><period-end iso-date=\"{year}-12-31\"/>\
             <value value-date=\"{year}-01-01\">{budget}</value></budget>\n\
             {transactions} </iati-activity>\n",
            prefix = self.prefix,
            end = year + 1,
            rest = 100 - sector_share,
        )
    }
}
