//! The concept table: words of development cooperation that mean one thing across their
//! word forms and across Spanish and English, which a stemmer alone does not join
//! ("pesquero" stems to `pesquer`, "pesca" to `pesc`, "fisheries" to `fisheri`).
//!
//! Each analyzer stems every word of the table with its own stemmer and replaces a token whose
//! stem is in the table by the concept's token (`_fish`); the simple tokenizer never makes a
//! token with `_`, so a concept token cannot be confused with a word. A word may belong to two
//! concepts ("wildfire" is fire and forest): its token is replaced by both, at one position.
//!
//! The table is built for the domain — sectors, forms and institutions of cooperation — and
//! not for any particular request. Keep a concept to one idea: a concept that joins two ideas
//! ("health" and "safety") makes every text about one match the other. Changing the table
//! changes the analyzer's fingerprint, so indexes built with the old table are rebuilt.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// (concept, words in Spanish and English). Words are written as users write them, accents
/// included; the analyzer folds and stems them as it does any text.
pub const CONCEPTS: &[(&str, &[&str])] = &[
    // Water.
    (
        "water",
        &[
            "agua",
            "aguas",
            "hídrico",
            "hídricos",
            "hídrica",
            "hídricas",
            "hidráulico",
            "hidráulica",
            "hidrológico",
            "hidrológicos",
            "hidrológica",
            "water",
            "waters",
            "hydrological",
            "hydraulic",
            "acuífero",
            "acuíferos",
            "acueducto",
            "acueductos",
            "aquifer",
            "aquifers",
        ],
    ),
    (
        "wastewater",
        &[
            "residual",
            "residuales",
            "servidas",
            "negras",
            "wastewater",
            "sewage",
            "alcantarillado",
            "sewerage",
            "effluent",
            "effluents",
            "efluente",
            "efluentes",
            "lodos",
            "sludge",
            "biodigestor",
            "biodigestores",
        ],
    ),
    (
        "sanitation",
        &[
            "saneamiento",
            "sanitation",
            "letrina",
            "letrinas",
            "latrine",
            "latrines",
            "inodoro",
            "inodoros",
            "toilet",
            "toilets",
        ],
    ),
    ("drinking", &["potable", "potabilización", "drinking", "potable"]),
    ("treatment", &["tratamiento", "tratamientos", "treatment", "treatments"]),
    ("reuse", &["reúso", "reuso", "reutilización", "reuse", "reusing"]),
    ("rain", &["lluvia", "lluvias", "pluvial", "pluviales", "rain", "rainwater", "rainfall"]),
    ("filter", &["filtro", "filtros", "filtración", "filter", "filters", "filtration"]),
    ("irrigation", &["riego", "irrigación", "irrigation", "irrigated"]),
    ("basin", &["cuenca", "cuencas", "basin", "basins", "watershed", "watersheds", "catchment", "catchments"]),
    ("drought", &["sequía", "sequías", "drought", "droughts", "aridez", "árido", "árida", "arid"]),
    // Environment.
    ("environment", &["ambiente", "ambiental", "ambientales", "medioambiental", "environment", "environmental"]),
    ("ecology", &["ecológico", "ecológica", "ecología", "ecological", "ecology"]),
    ("ecosystem", &["ecosistema", "ecosistemas", "ecosistémico", "ecosistémicos", "ecosystem", "ecosystems"]),
    (
        "biodiversity",
        &[
            "biodiversidad",
            "biodiversity",
            "especie",
            "especies",
            "species",
            "fauna",
            "flora",
            "wildlife",
            "taxonomía",
            "taxonomy",
            "taxonomic",
            "herbario",
            "herbarios",
            "herbarium",
            "silvestre",
            "silvestres",
            "endémica",
            "endémicas",
            "endémico",
            "endémicos",
            "endemic",
            "invasora",
            "invasoras",
            "invasive",
        ],
    ),
    ("biological", &["biológico", "biológica", "biológicos", "biológicas", "biological"]),
    ("corridor", &["corredor", "corredores", "corridor", "corridors"]),
    (
        "protected-area",
        &[
            "parque",
            "parques",
            "park",
            "parks",
            "reserva",
            "reservas",
            "reserve",
            "reserves",
            "guardaparque",
            "guardaparques",
            "ranger",
            "rangers",
            "santuario",
            "santuarios",
            "sanctuary",
            "biosfera",
            "biosphere",
            "refugio",
            "refugios",
            "refuge",
        ],
    ),
    ("climate", &["clima", "climático", "climática", "climate", "climatic"]),
    (
        "emission",
        &[
            "emisión",
            "emisiones",
            "emission",
            "emissions",
            "invernadero",
            "greenhouse",
            "carbono",
            "carbon",
            "gei",
            "ghg",
            "mitigación",
            "mitigation",
            "huella",
            "footprint",
            "mrv",
            "ndc",
        ],
    ),
    ("inventory", &["inventario", "inventarios", "inventory", "inventories"]),
    ("impact", &["impacto", "impactos", "impact", "impacts"]),
    (
        "licence",
        &[
            "licencia",
            "licencias",
            "permiso",
            "permisos",
            "licence",
            "licences",
            "license",
            "licenses",
            "permit",
            "permits",
        ],
    ),
    (
        "air",
        &[
            "aire",
            "air",
            "atmosférico",
            "atmosférica",
            "atmospheric",
            "smog",
            "partícula",
            "partículas",
            "particulate",
            "particulates",
            "ozono",
            "ozone",
        ],
    ),
    ("pollution", &["contaminación", "contaminante", "contaminantes", "pollution", "pollutant", "pollutants"]),
    (
        "coast",
        &[
            "costa", "costas", "costero", "costera", "costeros", "costeras", "litoral", "coast", "coasts", "coastal",
            "playa", "playas", "beach", "beaches",
        ],
    ),
    (
        "marine",
        &[
            "mar",
            "mares",
            "marino",
            "marina",
            "marinos",
            "marinas",
            "océano",
            "océanos",
            "oceánico",
            "marine",
            "sea",
            "seas",
            "ocean",
            "oceans",
            "seagrass",
            "tortuga",
            "tortugas",
            "turtle",
            "turtles",
        ],
    ),
    ("reef", &["arrecife", "arrecifes", "coral", "corales", "reef", "reefs", "corals", "blanqueamiento", "bleaching"]),
    ("mangrove", &["manglar", "manglares", "mangle", "mangrove", "mangroves"]),
    (
        "waste",
        &[
            "residuo",
            "residuos",
            "desecho",
            "desechos",
            "basura",
            "waste",
            "garbage",
            "rubbish",
            "reciclaje",
            "recycling",
        ],
    ),
    (
        "sustainable",
        &[
            "sustentable",
            "sustentables",
            "sostenible",
            "sostenibles",
            "sustentabilidad",
            "sostenibilidad",
            "sustainable",
            "sustainability",
        ],
    ),
    ("restoration", &["restauración", "restaurar", "rehabilitación", "restoration", "restore", "rehabilitation"]),
    ("awareness", &["sensibilización", "concientización", "conciencia", "awareness"]),
    (
        "inspection",
        &[
            "inspección",
            "inspecciones",
            "inspector",
            "inspectores",
            "inspection",
            "inspections",
            "inspectors",
            "fiscalización",
            "fiscalizador",
            "fiscalizadores",
            "enforcement",
            "sanción",
            "sanciones",
            "sancionador",
            "sancionadores",
            "multa",
            "multas",
            "sanction",
            "sanctions",
            "penalty",
            "penalties",
        ],
    ),
    ("illegal", &["ilegal", "ilegales", "ilícito", "ilícitos", "illegal", "illicit"]),
    (
        "territory",
        &["territorio", "territorios", "territorial", "territoriales", "territory", "zonificación", "zoning"],
    ),
    (
        "payment",
        &[
            "pago",
            "pagos",
            "payment",
            "payments",
            "compensación",
            "compensaciones",
            "compensation",
            "incentivo",
            "incentivos",
            "incentive",
            "incentives",
        ],
    ),
    // Forests, agriculture, fishing.
    (
        "forest",
        &[
            "bosque",
            "bosques",
            "forestal",
            "forestales",
            "silvícola",
            "silvicultura",
            "forest",
            "forests",
            "forestry",
            "wildfire",
            "wildfires",
            "reforestación",
            "reforestation",
            "deforestación",
            "deforestation",
        ],
    ),
    (
        "fire",
        &[
            "incendio",
            "incendios",
            "fuego",
            "fuegos",
            "fire",
            "fires",
            "wildfire",
            "wildfires",
            "firefighting",
            "bombero",
            "bomberos",
            "firefighter",
            "firefighters",
            "quema",
            "quemas",
            "burning",
        ],
    ),
    ("brigade", &["brigada", "brigadas", "brigade", "brigades"]),
    ("timber", &["madera", "maderas", "maderable", "maderables", "timber", "wood", "logging", "tala"]),
    (
        "fish",
        &[
            "pesca",
            "pesquero",
            "pesqueros",
            "pesquera",
            "pesqueras",
            "pesquería",
            "pesquerías",
            "pescador",
            "pescadores",
            "pez",
            "peces",
            "veda",
            "vedas",
            "fishing",
            "fisheries",
            "fishery",
            "fish",
            "fisher",
            "fishers",
            "fishermen",
            "langosta",
            "langostas",
            "lobster",
            "lobsters",
            "camarón",
            "camarones",
            "shrimp",
            "atún",
            "tuna",
            "pulpo",
            "octopus",
        ],
    ),
    (
        "aquaculture",
        &[
            "acuacultura",
            "acuicultura",
            "acuícola",
            "acuícolas",
            "piscicultura",
            "piscícola",
            "estanque",
            "estanques",
            "criadero",
            "criaderos",
            "alevín",
            "alevines",
            "tilapia",
            "trucha",
            "truchas",
            "aquaculture",
            "mariculture",
            "pond",
            "ponds",
            "hatchery",
            "hatcheries",
            "fingerling",
            "fingerlings",
            "trout",
            "jaula",
            "jaulas",
            "cage",
            "cages",
            "larvicultura",
        ],
    ),
    (
        "agriculture",
        &[
            "agricultura",
            "agrícola",
            "agrícolas",
            "agropecuario",
            "agropecuaria",
            "agronomía",
            "agricultural",
            "agriculture",
            "farming",
            "farm",
            "farms",
            "farmer",
            "farmers",
            "campesino",
            "campesinos",
            "campesina",
            "campesinas",
            "smallholder",
            "smallholders",
        ],
    ),
    (
        "crop",
        &[
            "cultivo", "cultivos", "cosecha", "cosechas", "crop", "crops", "harvest", "grano", "granos", "grain",
            "grains", "cereal", "cereales", "cereals",
        ],
    ),
    (
        "livestock",
        &[
            "ganadería",
            "ganadero",
            "ganadera",
            "ganado",
            "pecuario",
            "pecuaria",
            "bovino",
            "bovinos",
            "carne",
            "rastro",
            "rastros",
            "matadero",
            "mataderos",
            "livestock",
            "cattle",
            "meat",
            "beef",
            "slaughterhouse",
            "slaughterhouses",
            "abattoir",
            "abattoirs",
            "ave",
            "aves",
            "avícola",
            "avícolas",
            "poultry",
            "porcino",
            "porcinos",
            "pigs",
            "ganaderos",
        ],
    ),
    (
        "animal",
        &[
            "animal",
            "animales",
            "animals",
            "veterinario",
            "veterinaria",
            "veterinarios",
            "veterinary",
            "zoosanitario",
            "zoosanitaria",
            "zoonosis",
            "zoonótica",
            "zoonotic",
            "aftosa",
            "aviar",
            "avian",
            "trazabilidad",
            "traceability",
        ],
    ),
    (
        "soil",
        &[
            "suelo",
            "suelos",
            "edafología",
            "erosión",
            "labranza",
            "soil",
            "soils",
            "erosion",
            "tillage",
            "ladera",
            "laderas",
            "hillside",
            "hillsides",
            "terraza",
            "terrazas",
            "terrace",
            "terraces",
            "rastrojo",
            "rastrojos",
        ],
    ),
    (
        "pest",
        &[
            "plaga",
            "plagas",
            "pest",
            "pests",
            "fitosanitario",
            "fitosanitaria",
            "fitosanitarios",
            "phytosanitary",
            "insecto",
            "insectos",
            "insect",
            "insects",
        ],
    ),
    (
        "plant",
        &["vegetal", "vegetales", "fitosanidad", "cuarentena", "cuarentenas", "quarantine", "trampeo", "trapping"],
    ),
    (
        "fruit",
        &["fruta", "frutas", "frutal", "frutales", "frutícola", "cítrico", "cítricos", "fruit", "fruits", "citrus"],
    ),
    ("fly", &["mosca", "moscas", "fly", "flies"]),
    (
        "seed",
        &[
            "semilla",
            "semillas",
            "seed",
            "seeds",
            "fitomejoramiento",
            "breeding",
            "variedad",
            "variedades",
            "variety",
            "varieties",
        ],
    ),
    ("genetics", &["genético", "genética", "genéticos", "genetic", "genetics", "germoplasma", "germplasm"]),
    ("maize", &["maíz", "maize", "corn"]),
    ("bean", &["frijol", "frijoles", "bean", "beans", "leguminosa", "leguminosas", "legume", "legumes"]),
    ("extension", &["extensionismo", "extensionista", "extensionistas", "extension", "extensionists", "extensionist"]),
    ("family", &["familiar", "familiares", "familia", "familias", "family", "families"]),
    (
        "food",
        &[
            "alimento",
            "alimentos",
            "alimentario",
            "alimentaria",
            "alimentarios",
            "alimentación",
            "agroalimentario",
            "agroalimentaria",
            "food",
            "foods",
            "agrifood",
        ],
    ),
    ("food-safety", &["inocuidad", "haccp"]),
    (
        "nutrition",
        &[
            "nutrición",
            "nutricional",
            "desnutrición",
            "malnutrición",
            "anemia",
            "nutrition",
            "nutritional",
            "malnutrition",
            "undernutrition",
            "stunting",
            "obesidad",
            "sobrepeso",
            "obesity",
            "overweight",
        ],
    ),
    // Disasters and risk.
    (
        "risk",
        &[
            "riesgo",
            "riesgos",
            "risk",
            "risks",
            "peligro",
            "peligros",
            "amenaza",
            "amenazas",
            "hazard",
            "hazards",
            "vulnerabilidad",
            "vulnerability",
            "vulnerable",
            "vulnerables",
        ],
    ),
    ("disaster", &["desastre", "desastres", "catástrofe", "disaster", "disasters", "catastrophe"]),
    (
        "emergency",
        &[
            "emergencia",
            "emergencias",
            "emergency",
            "emergencies",
            "evacuación",
            "evacuation",
            "albergue",
            "albergues",
            "shelter",
            "shelters",
            "simulacro",
            "simulacros",
            "drill",
            "drills",
            "contingencia",
            "contingencias",
            "contingency",
        ],
    ),
    ("flood", &["inundación", "inundaciones", "flood", "floods", "flooding"]),
    (
        "earthquake",
        &["sismo", "sismos", "terremoto", "terremotos", "sísmico", "sísmica", "earthquake", "earthquakes", "seismic"],
    ),
    (
        "hurricane",
        &[
            "huracán",
            "huracanes",
            "ciclón",
            "ciclones",
            "tormenta",
            "tormentas",
            "hurricane",
            "hurricanes",
            "cyclone",
            "cyclones",
            "storm",
            "storms",
        ],
    ),
    ("warning", &["alerta", "alertas", "warning", "warnings", "alert", "alerts"]),
    (
        "weather",
        &[
            "meteorológico",
            "meteorológica",
            "meteorología",
            "hidrometeorológico",
            "hidrometeorológica",
            "pronóstico",
            "pronósticos",
            "weather",
            "meteorological",
            "meteorology",
            "hydrometeorological",
            "forecast",
            "forecasting",
            "forecasts",
            "tsunami",
            "tsunamis",
        ],
    ),
    (
        "map",
        &[
            "mapa",
            "mapas",
            "atlas",
            "cartografía",
            "cartográfico",
            "map",
            "maps",
            "mapping",
            "cartography",
            "sig",
            "gis",
            "geoespacial",
            "geospatial",
        ],
    ),
    ("civil", &["civil", "civiles"]),
    // Health.
    ("health", &["salud", "sanitario", "sanitaria", "sanitarios", "sanidad", "health", "healthcare"]),
    (
        "hospital",
        &[
            "hospital",
            "hospitales",
            "hospitalario",
            "hospitalaria",
            "hospitals",
            "clínico",
            "clínica",
            "clínicas",
            "clínicos",
            "clinical",
            "clinic",
            "clinics",
        ],
    ),
    ("insurance", &["aseguramiento", "insurance"]),
    (
        "vaccine",
        &[
            "vacuna",
            "vacunas",
            "vacunación",
            "vacunados",
            "inmunización",
            "vaccine",
            "vaccines",
            "vaccination",
            "vaccinated",
            "immunisation",
            "immunization",
        ],
    ),
    (
        "cold",
        &[
            "frío",
            "fría",
            "refrigeración",
            "refrigerador",
            "refrigeradores",
            "cold",
            "refrigeration",
            "refrigerator",
            "refrigerators",
            "fridge",
            "fridges",
        ],
    ),
    (
        "disease",
        &[
            "enfermedad",
            "enfermedades",
            "epidemia",
            "epidemias",
            "disease",
            "diseases",
            "illness",
            "epidemic",
            "epidemics",
        ],
    ),
    (
        "vector",
        &[
            "vector",
            "vectores",
            "vectorial",
            "mosquito",
            "mosquitos",
            "zancudo",
            "zancudos",
            "dengue",
            "zika",
            "chikungunya",
            "malaria",
            "paludismo",
            "mosquitoes",
            "aedes",
            "fumigación",
            "fumigaciones",
            "fumigation",
            "entomológico",
            "entomológica",
            "entomological",
            "larvas",
            "larvae",
        ],
    ),
    ("maternal", &["materno", "materna", "maternal", "embarazo", "pregnancy", "prenatal"]),
    // Education, science and culture.
    (
        "education",
        &[
            "educación",
            "educativo",
            "educativa",
            "educativos",
            "educativas",
            "educacional",
            "escolar",
            "escolares",
            "escuela",
            "escuelas",
            "enseñanza",
            "education",
            "educational",
            "school",
            "schools",
            "schooling",
            "teaching",
        ],
    ),
    (
        "teacher",
        &[
            "docente",
            "docentes",
            "maestro",
            "maestros",
            "maestra",
            "maestras",
            "profesor",
            "profesores",
            "teacher",
            "teachers",
            "pedagogía",
            "pedagógico",
            "pedagógica",
            "pedagógicos",
            "pedagogy",
            "pedagogical",
            "didáctica",
            "didactic",
        ],
    ),
    ("secondary", &["secundaria", "secundarias", "secondary"]),
    ("primary", &["primaria", "primarias", "primary", "elementary"]),
    ("basic", &["básico", "básica", "básicos", "básicas", "basic"]),
    ("adult", &["adulto", "adultos", "adulta", "adultas", "adult", "adults"]),
    ("television", &["televisión", "televisiva", "televisivo", "television", "tv", "video", "videos", "broadcast"]),
    ("distance", &["distancia", "distance", "remoto", "remota", "remote"]),
    ("literacy", &["alfabetización", "analfabetismo", "lectoescritura", "literacy", "illiteracy"]),
    (
        "university",
        &[
            "universidad",
            "universidades",
            "universitario",
            "universitaria",
            "universitarios",
            "academia",
            "académico",
            "académica",
            "university",
            "universities",
            "academic",
        ],
    ),
    (
        "postgraduate",
        &[
            "posgrado",
            "posgrados",
            "postgrado",
            "postgrados",
            "maestría",
            "maestrías",
            "doctorado",
            "doctorados",
            "postgraduate",
            "graduate",
            "doctoral",
            "doctorate",
            "phd",
        ],
    ),
    (
        "scholarship",
        &["beca", "becas", "becario", "becarios", "scholarship", "scholarships", "fellowship", "fellowships"],
    ),
    (
        "internship",
        &["pasantía", "pasantías", "estancia", "estancias", "internship", "internships", "placement", "placements"],
    ),
    (
        "research",
        &[
            "investigación",
            "investigaciones",
            "investigador",
            "investigadores",
            "research",
            "researcher",
            "researchers",
        ],
    ),
    (
        "science",
        &["ciencia", "ciencias", "científico", "científica", "científicos", "science", "sciences", "scientific"],
    ),
    (
        "technology",
        &["tecnología", "tecnologías", "tecnológico", "tecnológica", "technology", "technologies", "technological"],
    ),
    (
        "innovation",
        &[
            "innovación",
            "innovaciones",
            "innovador",
            "innovadora",
            "innovation",
            "innovations",
            "innovative",
            "patente",
            "patentes",
            "patent",
            "patents",
            "startup",
            "startups",
        ],
    ),
    ("industry", &["industria", "industrias", "industrial", "industry", "industries"]),
    ("engineering", &["ingeniería", "ingenierías", "ingeniero", "ingenieros", "engineering", "engineer", "engineers"]),
    ("vocational", &["vocacional", "vocational", "profesionalizante", "oficio", "oficios", "vocacionales"]),
    (
        "competence",
        &[
            "competencia",
            "competencias",
            "competency",
            "competencies",
            "competences",
            "habilidad",
            "habilidades",
            "destreza",
            "destrezas",
            "skill",
            "skills",
        ],
    ),
    (
        "certification",
        &[
            "certificación",
            "certificaciones",
            "certificado",
            "certificados",
            "acreditación",
            "certification",
            "certificate",
            "certificates",
            "accreditation",
        ],
    ),
    ("learning", &["aprendizaje", "aprendizajes", "learning"]),
    (
        "test",
        &[
            "prueba",
            "pruebas",
            "examen",
            "exámenes",
            "test",
            "tests",
            "testing",
            "exam",
            "exams",
            "examination",
            "pisa",
            "estandarizada",
            "estandarizadas",
        ],
    ),
    ("language", &["idioma", "idiomas", "lengua", "lenguas", "language", "languages"]),
    ("spanish", &["español", "castellano", "spanish"]),
    ("foreign", &["extranjero", "extranjeros", "extranjera", "extranjeras", "foreign", "foreigner", "foreigners"]),
    ("indigenous", &["indígena", "indígenas", "originario", "originarios", "indigenous", "native"]),
    ("intercultural", &["intercultural", "interculturales", "interculturalidad", "interculturality"]),
    ("bilingual", &["bilingüe", "bilingües", "bilingüismo", "bilingual", "bilingualism"]),
    (
        "culture",
        &[
            "cultura",
            "culturas",
            "cultural",
            "culturales",
            "culture",
            "cultures",
            "arte",
            "artes",
            "artístico",
            "artística",
            "art",
            "arts",
            "artistic",
            "tradición",
            "tradiciones",
            "tradition",
            "traditions",
            "artesanía",
            "artesanías",
            "artesano",
            "artesanos",
            "handicraft",
            "handicrafts",
            "crafts",
            "artisan",
            "artisans",
            "música",
            "music",
            "danza",
            "dance",
            "festival",
            "festivales",
            "festivals",
        ],
    ),
    (
        "heritage",
        &[
            "patrimonio",
            "heritage",
            "museo",
            "museos",
            "museum",
            "museums",
            "inmaterial",
            "intangible",
            "monumento",
            "monumentos",
            "monument",
            "monuments",
            "unesco",
            "histórico",
            "histórica",
            "históricos",
            "históricas",
            "historic",
            "historical",
        ],
    ),
    (
        "archaeology",
        &[
            "arqueología",
            "arqueológico",
            "arqueológica",
            "arqueológicos",
            "arqueológicas",
            "ruinas",
            "archaeology",
            "archaeological",
            "archeological",
            "ruins",
        ],
    ),
    // Government, society and the economy.
    ("statistics", &["estadística", "estadísticas", "estadístico", "estadísticos", "statistics", "statistical"]),
    ("census", &["censo", "censos", "census", "censuses", "censal", "censales"]),
    (
        "population",
        &[
            "población",
            "poblacional",
            "demográfico",
            "demográfica",
            "demografía",
            "population",
            "demographic",
            "demography",
        ],
    ),
    ("survey", &["encuesta", "encuestas", "survey", "surveys"]),
    (
        "poverty",
        &[
            "pobreza",
            "pobre",
            "pobres",
            "carencia",
            "carencias",
            "poverty",
            "poor",
            "deprivation",
            "deprivations",
            "marginación",
            "marginalisation",
            "marginalization",
        ],
    ),
    ("measurement", &["medición", "mediciones", "medir", "measurement", "measurements", "measuring"]),
    ("indicator", &["indicador", "indicadores", "índice", "índices", "indicator", "indicators", "index", "indices"]),
    (
        "evaluation",
        &[
            "evaluación",
            "evaluaciones",
            "evaluar",
            "evaluation",
            "evaluations",
            "evaluate",
            "assessment",
            "assessments",
            "assess",
        ],
    ),
    ("results", &["resultado", "resultados", "result", "results", "outcome", "outcomes"]),
    ("performance", &["desempeño", "performance"]),
    ("monitoring", &["monitoreo", "monitorización", "seguimiento", "monitoring", "monitor"]),
    ("surveillance", &["vigilancia", "surveillance"]),
    ("gender", &["género", "gender", "transversalización", "transversalizar", "mainstreaming"]),
    (
        "equality",
        &["igualdad", "equidad", "equality", "equity", "desigualdad", "desigualdades", "inequality", "inequalities"],
    ),
    ("women", &["mujer", "mujeres", "femenino", "women", "woman", "female"]),
    (
        "migration",
        &[
            "migración",
            "migraciones",
            "migrante",
            "migrantes",
            "migratorio",
            "migratoria",
            "emigrante",
            "emigrantes",
            "inmigrante",
            "inmigrantes",
            "retornado",
            "retornados",
            "deportado",
            "deportados",
            "repatriado",
            "repatriados",
            "migration",
            "migrant",
            "migrants",
            "migratory",
            "emigrant",
            "emigrants",
            "immigrant",
            "immigrants",
            "returnee",
            "returnees",
            "deportee",
            "deportees",
            "remesa",
            "remesas",
            "remittance",
            "remittances",
            "connacional",
            "connacionales",
            "abroad",
        ],
    ),
    ("consulate", &["consulado", "consulados", "consular", "consulate", "consulates", "diáspora", "diaspora"]),
    ("child", &["niño", "niña", "niños", "niñas", "niñez", "infancia", "infantil", "child", "children", "childhood"]),
    (
        "youth",
        &[
            "joven",
            "jóvenes",
            "juventud",
            "adolescente",
            "adolescentes",
            "adolescencia",
            "youth",
            "young",
            "adolescent",
            "adolescents",
        ],
    ),
    ("transparency", &["transparencia", "transparency", "accountability", "rendición", "divulgación", "disclosure"]),
    ("privacy", &["privacidad", "privacy"]),
    ("rights", &["derecho", "derechos", "right", "rights"]),
    ("corruption", &["corrupción", "anticorrupción", "corruption", "anticorruption"]),
    (
        "budget",
        &[
            "presupuesto",
            "presupuestos",
            "presupuestario",
            "presupuestaria",
            "budget",
            "budgets",
            "budgeting",
            "budgetary",
        ],
    ),
    ("expenditure", &["gasto", "gastos", "erogación", "expenditure", "expenditures", "spending"]),
    (
        "tax",
        &[
            "impuesto",
            "impuestos",
            "tributario",
            "tributaria",
            "tributarios",
            "recaudación",
            "predial",
            "tax",
            "taxes",
            "taxation",
            "revenue",
            "revenues",
            "contribuyente",
            "contribuyentes",
            "taxpayer",
            "taxpayers",
            "tributación",
        ],
    ),
    ("cadastre", &["catastro", "catastral", "catastros", "cadastre", "cadastral", "cadaster"]),
    ("finance", &["finanzas", "financiero", "financiera", "hacienda", "haciendas", "finance", "finances", "financial"]),
    ("justice", &["justicia", "judicial", "jurídico", "jurídica", "justice", "legal"]),
    (
        "crime",
        &[
            "delito",
            "delitos",
            "delincuencia",
            "criminalidad",
            "crimen",
            "criminal",
            "victimización",
            "crime",
            "crimes",
            "victimization",
            "victimisation",
            "delictivo",
            "delictiva",
            "delictivos",
            "delincuente",
            "delincuentes",
            "homicidio",
            "homicidios",
            "homicide",
            "homicides",
        ],
    ),
    (
        "prison",
        &[
            "cárcel",
            "cárceles",
            "prisión",
            "penitenciario",
            "penitenciaria",
            "penitenciarios",
            "prison",
            "prisons",
            "penitentiary",
            "reclusión",
            "preso",
            "presos",
            "prisoner",
            "prisoners",
            "inmate",
            "inmates",
        ],
    ),
    ("security", &["seguridad", "security"]),
    (
        "violence",
        &[
            "violencia",
            "violento",
            "violencias",
            "violence",
            "violent",
            "feminicidio",
            "feminicidios",
            "femicide",
            "femicides",
            "maltrato",
            "abuse",
        ],
    ),
    ("election", &["electoral", "elección", "elecciones", "election", "elections"]),
    (
        "municipality",
        &[
            "municipio",
            "municipios",
            "municipal",
            "municipales",
            "municipalidad",
            "municipalidades",
            "municipality",
            "municipalities",
        ],
    ),
    ("information", &["información", "information"]),
    ("agency", &["agencia", "agencias", "agency", "agencies"]),
    ("international", &["internacional", "internacionales", "international"]),
    ("registry", &["registro", "registros", "registry", "registries", "register"]),
    (
        "enterprise",
        &[
            "empresa",
            "empresas",
            "empresarial",
            "empresariales",
            "pyme",
            "pymes",
            "mipyme",
            "mipymes",
            "enterprise",
            "enterprises",
            "business",
            "businesses",
            "company",
            "companies",
            "sme",
            "smes",
            "msme",
            "msmes",
        ],
    ),
    (
        "entrepreneurship",
        &[
            "emprendimiento",
            "emprendimientos",
            "emprendedor",
            "emprendedores",
            "entrepreneurship",
            "entrepreneur",
            "entrepreneurs",
        ],
    ),
    (
        "supplier",
        &[
            "proveedor",
            "proveedores",
            "supplier",
            "suppliers",
            "suministro",
            "supply",
            "cadena",
            "cadenas",
            "chain",
            "chains",
            "encadenamiento",
            "encadenamientos",
            "linkages",
            "clúster",
            "clústeres",
            "cluster",
            "clusters",
        ],
    ),
    (
        "trade",
        &[
            "comercio",
            "comercial",
            "comerciales",
            "exportación",
            "exportaciones",
            "trade",
            "commercial",
            "export",
            "exports",
        ],
    ),
    ("employment", &["empleo", "empleos", "laboral", "laborales", "employment", "jobs", "labour", "labor"]),
    (
        "tourism",
        &[
            "turismo",
            "turístico",
            "turística",
            "turísticos",
            "turísticas",
            "ecoturismo",
            "tourism",
            "tourist",
            "tourists",
            "touristic",
            "ecotourism",
        ],
    ),
    ("nature", &["naturaleza", "natural", "naturales", "nature"]),
    ("housing", &["vivienda", "viviendas", "housing", "dwellings"]),
    ("urban", &["urbano", "urbana", "urbanos", "urbanas", "ciudad", "ciudades", "urban", "city", "cities"]),
    ("transport", &["transporte", "transportes", "transport", "transportation"]),
    ("telecommunication", &["telecomunicación", "telecomunicaciones", "telecommunication", "telecommunications"]),
    (
        "connectivity",
        &[
            "conectividad",
            "connectivity",
            "internet",
            "broadband",
            "telecentro",
            "telecentros",
            "telecentre",
            "telecentres",
            "telecenter",
            "telecenters",
        ],
    ),
    // Energy.
    (
        "energy",
        &["energía", "energías", "energético", "energética", "energéticos", "energéticas", "energy", "energies"],
    ),
    (
        "electricity",
        &[
            "electricidad",
            "eléctrico",
            "eléctrica",
            "eléctricos",
            "eléctricas",
            "electricity",
            "electric",
            "electrical",
            "power",
            "grid",
        ],
    ),
    (
        "renewable",
        &[
            "renovable",
            "renovables",
            "solar",
            "solares",
            "eólica",
            "eólico",
            "eólicas",
            "fotovoltaica",
            "fotovoltaico",
            "renewable",
            "renewables",
            "wind",
            "photovoltaic",
        ],
    ),
    ("geothermal", &["geotermia", "geotérmico", "geotérmica", "geothermal", "geothermics"]),
    (
        "efficiency",
        &[
            "eficiencia",
            "eficiente",
            "eficientes",
            "ahorro",
            "efficiency",
            "efficient",
            "saving",
            "savings",
            "iluminación",
            "alumbrado",
            "lighting",
        ],
    ),
    ("standard", &["norma", "normas", "estándar", "estándares", "standard", "standards"]),
    (
        "regulation",
        &["regulación", "regulaciones", "regulatorio", "regulatoria", "regulation", "regulations", "regulatory"],
    ),
    ("labelling", &["etiquetado", "etiquetas", "label", "labels", "labelling", "labeling"]),
    // How cooperation is done rather than what it is about: these are in GENERIC, below.
    ("management", &["gestión", "manejo", "administración", "management", "managing", "administration"]),
    ("strengthening", &["fortalecimiento", "fortalecer", "strengthening", "strengthen"]),
    ("system", &["sistema", "sistemas", "system", "systems"]),
    ("policy", &["política", "políticas", "policy", "policies"]),
    ("planning", &["planeación", "planificación", "ordenamiento", "planning", "plan", "planes", "plans"]),
    ("development", &["desarrollo", "desarrollar", "development", "developing"]),
    ("design", &["diseño", "diseños", "diseñar", "design", "designing"]),
    ("programme", &["programa", "programas", "programme", "programmes", "program", "programs"]),
    ("project", &["proyecto", "proyectos", "project", "projects"]),
    ("improvement", &["mejora", "mejoras", "mejorar", "improve", "improvement", "improvements", "improving"]),
    ("implementation", &["implementación", "implementar", "implementation", "implement", "implementing"]),
    ("service", &["servicio", "servicios", "service", "services"]),
    ("technical", &["técnico", "técnica", "técnicos", "técnicas", "technical"]),
    ("national", &["nacional", "nacionales", "national"]),
    ("public", &["público", "pública", "públicos", "públicas", "public"]),
    ("government", &["gobierno", "gobiernos", "gubernamental", "government", "governments", "governmental"]),
    (
        "institution",
        &[
            "institución",
            "instituciones",
            "institucional",
            "institucionales",
            "institution",
            "institutions",
            "institutional",
        ],
    ),
    (
        "training",
        &["capacitación", "capacitaciones", "formación", "entrenamiento", "adiestramiento", "training", "trainings"],
    ),
    (
        "course",
        &[
            "curso",
            "cursos",
            "taller",
            "talleres",
            "seminario",
            "seminarios",
            "diplomado",
            "diplomados",
            "course",
            "courses",
            "workshop",
            "workshops",
            "seminar",
            "seminars",
        ],
    ),
    (
        "assistance",
        &[
            "asistencia",
            "asesoría",
            "asesorías",
            "asesoramiento",
            "consultoría",
            "assistance",
            "advice",
            "advisory",
            "consultancy",
        ],
    ),
    (
        "expert",
        &[
            "experto",
            "expertos",
            "experta",
            "expertas",
            "especialista",
            "especialistas",
            "expert",
            "experts",
            "specialist",
            "specialists",
        ],
    ),
    ("cooperation", &["cooperación", "cooperation"]),
    (
        "community",
        &[
            "comunidad",
            "comunidades",
            "comunitario",
            "comunitaria",
            "comunitarios",
            "comunitarias",
            "community",
            "communities",
            "ejido",
            "ejidos",
            "ejidal",
            "ejidales",
            "comunal",
            "comunales",
            "communal",
        ],
    ),
    (
        "protection",
        &[
            "protección",
            "proteger",
            "protegido",
            "protegida",
            "protegidos",
            "protegidas",
            "protection",
            "protect",
            "protecting",
            "protected",
        ],
    ),
    ("conservation", &["conservación", "conservar", "conservation", "conserve", "conserving"]),
    ("prevention", &["prevención", "prevenir", "prevention", "prevent", "preventing"]),
    ("control", &["control", "controles", "controlar", "combate", "combatir", "controls", "controlling"]),
    ("quality", &["calidad", "quality"]),
];

/// Concepts that say how cooperation is done (strengthening, management, training, a
/// national system…) rather than what it is about: they are in nearly every request and
/// every offer, so a match on them weighs [`GENERIC_WEIGHT`] of a match on a topic.
pub const GENERIC: &[&str] = &[
    "management",
    "strengthening",
    "system",
    "policy",
    "planning",
    "development",
    "design",
    "programme",
    "project",
    "improvement",
    "implementation",
    "service",
    "technical",
    "national",
    "public",
    "government",
    "institution",
    "training",
    "course",
    "assistance",
    "expert",
    "cooperation",
    "community",
    "protection",
    "conservation",
    "prevention",
    "control",
    "quality",
    "international",
];

/// The weight of a generic concept against a topic's.
pub const GENERIC_WEIGHT: f32 = 0.3;

/// Whether a term is the token of a generic concept.
pub fn is_generic(term: &str) -> bool {
    term.strip_prefix('_').is_some_and(|c| GENERIC.contains(&c))
}

/// The table, as concept tokens per stem, for one analyzer; built by [`ConceptFilter::new`].
pub type StemTable = HashMap<String, Vec<String>>;

/// The token of a concept: `_` never appears in a token of the simple tokenizer.
pub fn concept_token(concept: &str) -> String {
    format!("_{concept}")
}

/// Builds the stem table with `stem`, which folds and stems a word as the analyzer does (and
/// may give no stem for a stop word, or several tokens for a word with a hyphen — such words
/// are left out).
pub fn stem_table(mut stem: impl FnMut(&str) -> Vec<String>) -> StemTable {
    let mut table: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (concept, words) in CONCEPTS {
        for word in *words {
            let stems = stem(word);
            let [single] = stems.as_slice() else { continue };
            let entry = table.entry(single.clone()).or_default();
            let token = concept_token(concept);
            if !entry.contains(&token) {
                entry.push(token);
            }
        }
    }
    table.into_iter().collect()
}

/// The token filter that replaces a stem of the table by its concepts.
#[derive(Clone, Debug)]
pub struct ConceptFilter {
    table: Arc<StemTable>,
}

impl ConceptFilter {
    pub fn new(table: StemTable) -> ConceptFilter {
        ConceptFilter { table: Arc::new(table) }
    }
}

impl TokenFilter for ConceptFilter {
    type Tokenizer<T: Tokenizer> = ConceptTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ConceptTokenizer<T> {
        ConceptTokenizer { table: self.table, inner: tokenizer }
    }
}

#[derive(Clone, Debug)]
pub struct ConceptTokenizer<T> {
    table: Arc<StemTable>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ConceptTokenizer<T> {
    type TokenStream<'a> = ConceptTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ConceptTokenStream { table: Arc::clone(&self.table), tail: self.inner.token_stream(text), pending: Vec::new() }
    }
}

/// Emits a token's concepts in place of it, the second and later ones at the same position.
pub struct ConceptTokenStream<S> {
    table: Arc<StemTable>,
    tail: S,
    /// Concepts still to emit at the current token's position, last first.
    pending: Vec<String>,
}

impl<S> std::fmt::Debug for ConceptTokenStream<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConceptTokenStream").field("pending", &self.pending).finish_non_exhaustive()
    }
}

impl<S: TokenStream> TokenStream for ConceptTokenStream<S> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.pending.pop() {
            self.tail.token_mut().text = next;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        if let Some(concepts) = self.table.get(&self.tail.token().text) {
            let mut rest: Vec<String> = concepts.iter().rev().cloned().collect();
            if let Some(first) = rest.pop() {
                self.tail.token_mut().text = first;
            }
            self.pending = rest;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use coopera_domain::Lang;

    use super::*;
    use crate::analysis::{analyzers, tokens};

    /// Two words of different concepts that one analyzer stems alike would join the concepts;
    /// a word meant to be in two concepts is listed in both.
    #[test]
    fn no_two_concepts_share_a_stem_by_accident() {
        let mut clashes = Vec::new();
        for lang in [Lang::Es, Lang::En] {
            let mut plain = crate::analysis::stemmed_without_concepts(lang);
            let mut owners: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
            for (concept, words) in CONCEPTS {
                for word in *words {
                    for stem in tokens(&mut plain, word) {
                        owners.entry(stem).or_default().push((concept, word));
                    }
                }
            }
            for (stem, list) in owners {
                let concepts: Vec<&str> = list.iter().map(|(c, _)| *c).collect();
                let words: Vec<&str> = list.iter().map(|(_, w)| *w).collect();
                let distinct_words: std::collections::BTreeSet<&str> = words.iter().copied().collect();
                let mut distinct: Vec<&str> = concepts.clone();
                distinct.sort_unstable();
                distinct.dedup();
                // Fine: one word listed in several concepts on purpose ("wildfire").
                if distinct.len() > 1
                    && distinct_words.iter().any(|w| !list.iter().all(|(_, x)| x == w))
                    && !intended(&list)
                {
                    clashes.push(format!("{lang}: stem {stem:?} of {list:?}"));
                }
            }
        }
        assert!(clashes.is_empty(), "stems shared by concepts:\n{}", clashes.join("\n"));
    }

    /// A stem all of whose words are in every one of its concepts: a word of two concepts.
    fn intended(list: &[(&str, &str)]) -> bool {
        let concepts: std::collections::BTreeSet<&str> = list.iter().map(|(c, _)| *c).collect();
        list.iter().all(|(_, w)| concepts.iter().all(|c| list.contains(&(c, w))))
    }

    #[test]
    fn every_generic_concept_is_in_the_table() {
        for g in GENERIC {
            assert!(CONCEPTS.iter().any(|(c, _)| c == g), "{g} is not a concept");
        }
        assert!(is_generic("_management"));
        assert!(!is_generic("_fish"));
        assert!(!is_generic("management"));
    }

    #[test]
    fn concepts_join_word_forms_and_languages() {
        let mut es = analyzers().stemmed(Lang::Es);
        let mut en = analyzers().stemmed(Lang::En);
        assert_eq!(tokens(&mut es, "pesquero"), tokens(&mut es, "pesca"));
        assert_eq!(tokens(&mut en, "fisheries"), vec!["_fish"]);
        assert_eq!(tokens(&mut es, "incendio forestal"), vec!["_fire", "_forest"]);
        // A word of two concepts gives both, at one position.
        let mut wildfire = analyzers().stemmed(Lang::En);
        assert_eq!(
            crate::analysis::positioned(&mut wildfire, "wildfires"),
            vec![(0, "_forest".to_owned()), (0, "_fire".to_owned())]
        );
        // Words outside the table are stemmed only.
        assert_eq!(tokens(&mut es, "telesecundaria"), vec!["telesecundari"]);
    }
}
