//! Word lists the generators draw from: people, organisations, sites and document names.
//! All organisations are fictional (Contoso and its partners); public sites that appear in
//! benign clicks are ordinary, well-known destinations.

/// First names for generated (non-story) users.
pub const FIRST_NAMES: &[&str] = &[
    "Aaron", "Abigail", "Adrian", "Alice", "Amara", "Andre", "Anita", "Arjun", "Beatrice", "Bruno", "Camila", "Carlos", "Caroline", "Dmitri", "Diana", "Eddie",
    "Elena", "Elif", "Ethan", "Fatima", "Fiona", "Gabriel", "Georgia", "Hassan", "Helen", "Ivan", "Jade", "James", "Julia", "Kai", "Karen", "Keisha", "Laura",
    "Leo", "Lina", "Luis", "Maeve", "Malik", "Martin", "Mei", "Mohammed", "Nadia", "Nathan", "Noah", "Olga", "Oscar", "Paula", "Quentin", "Rachel", "Rafael",
    "Rosa", "Sara", "Sean", "Simone", "Stefan", "Tara", "Theo", "Uma", "Victor", "Wendy", "Xavier", "Yara", "Yusuf", "Zoe",
];

/// Last names for generated (non-story) users.
pub const LAST_NAMES: &[&str] = &[
    "Abbott",
    "Adeyemi",
    "Alvarez",
    "Andersen",
    "Bauer",
    "Bianchi",
    "Brooks",
    "Castillo",
    "Chen",
    "Cohen",
    "Dalton",
    "Dubois",
    "Eriksen",
    "Evans",
    "Farouk",
    "Fischer",
    "Garcia",
    "Goldberg",
    "Hale",
    "Horvath",
    "Ibrahim",
    "Ito",
    "Jansen",
    "Jovanovic",
    "Kaur",
    "Kowalski",
    "Larsen",
    "Lopez",
    "Mahmoud",
    "Meyer",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Nowak",
    "Olsen",
    "Ortega",
    "Park",
    "Patel",
    "Quinn",
    "Ramos",
    "Reid",
    "Sato",
    "Schmidt",
    "Silva",
    "Sousa",
    "Tanaka",
    "Turner",
    "Ueda",
    "Vasquez",
    "Vogel",
    "Walsh",
    "Weber",
    "Xu",
    "Yilmaz",
    "Young",
    "Zhang",
    "Zielinski",
];

/// The fixed cast of the story: `(first, last)`. Their order is referenced by index from
/// `plan.rs`; add new names at the end only.
pub const STORY_PEOPLE: &[(&str, &str)] = &[
    // 0..18: clicked the phishing campaign (17 from the mail, one from Teams)
    ("Priya", "Raman"),
    ("Daniel", "Okafor"),
    ("Maria", "Schultz"),
    ("Tom", "Becker"),
    ("Sofia", "Lindqvist"),
    ("Kevin", "Oduya"),
    ("Emma", "Vargas"),
    ("Lucas", "Moreau"),
    ("Hannah", "Kim"),
    ("Omar", "Haddad"),
    ("Grace", "Liu"),
    ("Felix", "Wagner"),
    ("Nina", "Petrov"),
    ("Samuel", "Reyes"),
    ("Chloe", "Martin"),
    ("Ravi", "Menon"),
    ("Isabel", "Costa"),
    ("Jonas", "Berg"),
    // 18..41: received the phishing mail but did not click
    ("Aisha", "Bello"),
    ("Marco", "Rossi"),
    ("Ingrid", "Solberg"),
    ("Pedro", "Alves"),
    ("Yuki", "Mori"),
    ("Lena", "Hoffmann"),
    ("Kwame", "Mensah"),
    ("Sophie", "Laurent"),
    ("Arman", "Sarkisian"),
    ("Clara", "Nilsson"),
    ("Diego", "Navarro"),
    ("Freya", "Holm"),
    ("Hugo", "Fontaine"),
    ("Leila", "Karimi"),
    ("Mateo", "Ruiz"),
    ("Nora", "Lindgren"),
    ("Owen", "Price"),
    ("Rita", "Moreno"),
    ("Sanjay", "Iyer"),
    ("Tessa", "Vermeer"),
    ("Viktor", "Sokolov"),
    ("Wanda", "Kruger"),
    ("Zara", "Qureshi"),
    // 41..45: the malware lure (plus Jonas Berg and Daniel Okafor from above)
    ("Peter", "Novak"),
    ("Li", "Wei"),
    ("Carla", "Mendes"),
    ("Ben", "Carter"),
];

/// Contoso's departments (SharePoint sites, subjects).
pub const TEAMS: &[&str] = &["Finance", "HR", "Sales", "Marketing", "Engineering", "Legal", "IT", "Operations", "Procurement", "Support"];

/// Words for document names and page slugs.
pub const DOC_WORDS: &[&str] = &[
    "Budget",
    "Forecast",
    "Roadmap",
    "Onboarding",
    "Policy",
    "Report",
    "Minutes",
    "Plan",
    "Proposal",
    "Contract",
    "Review",
    "Checklist",
    "Handbook",
    "Timeline",
    "Pricing",
    "Inventory",
    "Survey",
    "Strategy",
    "Training",
    "Benefits",
    "Expenses",
    "Headcount",
    "Release",
    "Architecture",
    "Retrospective",
    "Campaign",
];

pub const DOC_EXTS: &[&str] = &["docx", "xlsx", "pptx", "pdf"];

pub const SLUG_WORDS: &[&str] = &[
    "quarterly",
    "update",
    "results",
    "security",
    "guide",
    "new",
    "team",
    "product",
    "launch",
    "customer",
    "cloud",
    "data",
    "remote",
    "work",
    "office",
    "tips",
    "how",
    "to",
    "best",
    "practices",
    "summit",
    "partner",
    "release",
    "notes",
    "feature",
    "overview",
    "getting",
    "started",
    "migration",
    "pricing",
];

/// Partner organisations: `(domain, display name, mailbox)`. They send mail with links to
/// their own sites.
pub const VENDORS: &[(&str, &str, &str)] = &[
    ("fabrikam.com", "Fabrikam Billing", "billing"),
    ("northwindtraders.com", "Northwind Traders", "orders"),
    ("adventure-works.com", "Adventure Works", "news"),
    ("tailspintoys.com", "Tailspin Toys", "partners"),
    ("wingtiptoys.com", "Wingtip Toys", "accounts"),
    ("litwareinc.com", "Litware Support", "support"),
    ("proseware.com", "Proseware", "updates"),
    ("woodgrovebank.com", "Woodgrove Bank", "statements"),
    ("fourthcoffee.com", "Fourth Coffee", "hello"),
    ("relecloud.com", "Relecloud", "events"),
    ("treyresearch.net", "Trey Research", "research"),
    ("lucernepublishing.com", "Lucerne Publishing", "editors"),
];

/// Vendor paths (`{n}` = a number, `{slug}` = words).
pub const VENDOR_PATHS: &[&str] =
    &["/orders/{n}", "/invoices/{n}", "/account/statements/{n}", "/products/{slug}", "/blog/{slug}", "/support/tickets/{n}", "/events/{slug}"];

/// Public sites: `(scheme+host, path templates, weight)`.
pub const PUBLIC_SITES: &[(&str, &[&str], u64)] = &[
    ("https://learn.microsoft.com", &["/en-us/microsoft-365/{slug}", "/en-us/azure/{slug}", "/en-us/defender-office-365/{slug}"], 14),
    ("https://support.microsoft.com", &["/en-us/office/{slug}-{hex}"], 6),
    ("https://github.com", &["/{org}/{repo}", "/{org}/{repo}/pull/{n}", "/{org}/{repo}/issues/{n}"], 8),
    ("https://www.linkedin.com", &["/posts/{slug}-{n}", "/jobs/view/{n}"], 6),
    ("https://www.youtube.com", &["/watch?v={yt}"], 5),
    ("https://zoom.us", &["/j/{n}"], 3),
    ("https://www.bbc.co.uk", &["/news/{slug}-{n}"], 3),
    ("https://www.reuters.com", &["/technology/{slug}-{n}"], 3),
    ("https://www.theverge.com", &["/{n}/{slug}"], 2),
    ("https://stackoverflow.com", &["/questions/{n}/{slug}"], 4),
];

pub const GITHUB_ORGS: &[&str] = &["contoso", "contoso-labs", "microsoft", "rust-lang", "kubernetes"];
pub const GITHUB_REPOS: &[&str] = &["infra", "webapp", "docs", "api-gateway", "data-pipeline", "mobile", "tools"];

/// Newsletter senders for links to public sites: `(address, display name)`.
pub const NEWSLETTERS: &[(&str, &str)] = &[
    ("newsletter@relecloud.com", "Relecloud Weekly"),
    ("digest@lucernepublishing.com", "Lucerne Tech Digest"),
    ("no-reply@proseware.com", "Proseware Updates"),
    ("events@treyresearch.net", "Trey Research Events"),
];

/// Subject templates for Contoso-internal mail (`{team}`, `{doc}`, `{q}`).
pub const INTERNAL_SUBJECTS: &[&str] = &[
    "{doc} for {team} - please review",
    "Re: {team} {doc}",
    "FW: {doc} {q}",
    "{team} weekly sync notes",
    "Shared with you: {doc}",
    "Updated {doc} ({q})",
    "Action items from today's {team} meeting",
];

/// Subject templates for partner mail (`{vendor}`, `{n}`).
pub const VENDOR_SUBJECTS: &[&str] = &[
    "Your order {n} has shipped",
    "Invoice {n} from {vendor}",
    "{vendor}: monthly account statement",
    "Re: Support ticket {n}",
    "Invitation: {vendor} partner event",
    "{vendor} product update",
];

pub const NEWSLETTER_SUBJECTS: &[&str] = &["This week in tech: {slug}", "Your weekly digest", "Top stories: {slug}", "Event reminder: {slug}"];

pub const SPAM_SUBJECTS: &[&str] =
    &["You have won a gift card", "Limited offer: 80% off", "Increase your sales today", "Re: unpaid invoice", "Cheap flights this weekend"];

pub const SPAM_DOMAINS: &[&str] = &["promo-deals.biz", "bestoffers-mail.info", "salesboost.click", "travelcheap.top"];

/// External people Contoso users write to (outbound mail).
pub const EXTERNAL_CONTACTS: &[&str] = &["j.doe", "a.smith", "procurement", "info", "m.lee", "sales", "r.khan"];

/// Attachment names for benign mail.
pub const ATTACHMENT_WORDS: &[&str] = &["Invoice", "Agenda", "Slides", "Notes", "Quote", "Statement", "Report", "Photo"];
