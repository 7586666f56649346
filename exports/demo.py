"""The data part of `seed_demo`: each demo controller's data map from its notice, a demo
customer database with sample people, and the sources that search and erase in it.

Data maps (quoted or closely paraphrased from the notices in ../shared/seeds/; where a
notice is silent the field is left blank for the controller to complete, not invented):

- Customer First Group (000): the notice's seven categories and its purpose table
  (account, sharing with the business you reviewed, managing the relationship,
  administering the website, analytics); retention "as long as reasonably necessary",
  longer on a complaint or prospect of litigation; no transfers outside the UK/EEA.
- CX Services (002): contact details kept two years after the contact, five years after
  the last communication with marketing consent (deleted within a month of withdrawal),
  three months where we have had no contact; call recordings at most three months;
  complaints five years; profiling to tailor emails, mailings and the website.
- Intelligent Actions (003): contact, payment, order history, credit reference and fraud
  agency data; recipients including credit reference agencies and law enforcement;
  transfers outside the EEA under approved countries or contracts.
- Kynex (004): identity including date of birth and mother's maiden name, bank details,
  credit reference data (from credit reference agencies: not provided by the person, so
  not portable), products, usage and call recordings; recipients including debt
  collection agencies and credit reference agencies; MailChimp and Google in the USA.

The demo database (alias ``subject_data``) stands in for the customer systems of all four
demo controllers: tables customers, orders, marketing_preferences, call_records and
web_sessions, with about 200 invented people plus everyone named in the sample cases
(matched by the same email and phone). One extra person, "M. Pennington-Hale", has an
email that differs from Margaret Pennington's only in capital letters: a search for her
must not find him. Safe to run again: the tables are emptied and refilled.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from django.db import connections, transaction

from dsar.choices import Channel
from dsar.demo import SAMPLE_CASES, _email
from dsar.models import Controller

from .data.models import (
    ActionRight,
    DataCategory,
    DataMapSettings,
    DataSource,
    DataSystem,
    LawfulBasis,
    ProcessingPurpose,
    SourceAction,
    SourceQuery,
)

ALIAS = "subject_data"
B = LawfulBasis
LOOKALIKE_OF = "Margaret Pennington"

# --- data maps ---------------------------------------------------------------------------

# (name, description, [(purpose, basis, detail)], recipients, retention, source,
#  provided by the subject, processed by automated means)
Category = tuple[str, str, list[tuple[str, str, str]], str, str, str, bool, bool]

CFG_ACCOUNT = ("To create your account on our Website", B.CONTRACT, "")
CFG_ACCOUNT_AFTER = (
    "To keep your account data after you close your account",
    B.LEGITIMATE_INTERESTS,
    "internal governance and the potential for bringing or defending legal claims",
)
CFG_SHARE = (
    "To share your details with the company you submitted a 'Customer Experience' about, "
    "so that they can respond",
    B.CONTRACT,
    "",
)
CFG_RELATIONSHIP = (
    "To manage our relationship with you: answering enquiries, notifying changes to our "
    "terms or privacy policy, asking for reviews or surveys, and sending newsletters",
    B.LEGITIMATE_INTERESTS,
    "to keep our records updated and to study how customers use our products/services",
)
CFG_ADMIN = (
    "To administer and protect our business and this Website (troubleshooting, data "
    "analysis, testing, system maintenance, support, reporting and hosting)",
    B.LEGITIMATE_INTERESTS,
    "running our business, IT services, network security, preventing fraud",
)
CFG_ANALYTICS = (
    "To use data analytics to improve our Website, products/services, marketing, customer "
    "relationships and experiences",
    B.LEGITIMATE_INTERESTS,
    "to define types of customers, keep the Website relevant and develop our business",
)
CFG_RETENTION = (
    "As long as reasonably necessary to fulfil the purposes we collected it for; longer "
    "if there is a complaint or we reasonably believe there is a prospect of litigation."
)
CFG_RECIPIENTS = "The company you submitted a Customer Experience about"
CFG: list[Category] = [
    ("Identity", "first name, last name, username or similar identifier, title",
     [CFG_ACCOUNT, CFG_ACCOUNT_AFTER, CFG_SHARE, CFG_RELATIONSHIP, CFG_ADMIN],
     CFG_RECIPIENTS, CFG_RETENTION,
     "You, when you create an account, fill in forms or correspond with us.", True, True),
    ("Contact", "email address and telephone numbers",
     [CFG_ACCOUNT, CFG_ACCOUNT_AFTER, CFG_SHARE, CFG_RELATIONSHIP, CFG_ADMIN],
     CFG_RECIPIENTS, CFG_RETENTION,
     "You, when you create an account, fill in forms or correspond with us.", True, True),
    ("Marketing & Communications",
     "your marketing and communication preferences, and when you receive and read our "
     "marketing", [CFG_RELATIONSHIP], "", CFG_RETENTION,
     "You (your preferences) and our email system (when you receive and read messages).",
     True, True),
    ("Profile", "referral website, pages you visit, actions you take, patterns of page "
     "visits and information from forms you fill in", [CFG_RELATIONSHIP], "", CFG_RETENTION,
     "Collected progressively as you use our Website.", True, True),
    ("Technical", "IP address, login data, browser type and version, time zone setting and "
     "location, plug-ins, operating system and platform", [CFG_ADMIN, CFG_ANALYTICS], "",
     CFG_RETENTION, "Collected automatically by cookies and similar technologies as you "
     "use our Website.", True, True),
    ("Usage & Tracking", "information about how you use our Website, analysed in aggregate",
     [CFG_ANALYTICS], "", CFG_RETENTION,
     "Derived by our analytics from how you use our Website.", False, True),
    ("Special Category", "only what you supply, e.g. a health reaction in a complaint, or "
     "what can be inferred from a review; we may delete it", [CFG_RELATIONSHIP], "",
     "We may delete unrequested special category data from our systems.",
     "You, in reviews and complaints, or inferred from them.", False, True),
]  # fmt: skip

CX_SERVICE = ("To send information you request, and to provide our services to you",
              B.CONTRACT, "")  # fmt: skip
CX_MARKETING = ("Direct marketing by email, post and telephone", B.CONSENT, "")
CX_LEGACY = ("Contacting people who subscribed before May 2018 and have not asked us to stop",
             B.LEGITIMATE_INTERESTS, "their continued interest in our information")  # fmt: skip
CX_PROFILING = ("Profiling to make our emails, mailings and website more relevant to you",
                B.LEGITIMATE_INTERESTS, "tailoring the information we provide")  # fmt: skip
CX_ANALYTICS = ("Website analytics and heat mapping, to see whether the website meets "
                "visitors' needs", B.LEGITIMATE_INTERESTS, "improving the website")  # fmt: skip
CX_CONTACT_RETENTION = (
    "Two years after your request, contact or the latest service we provide; if you "
    "consent to marketing, five years after your last communication with us (deleted "
    "within a month if you withdraw consent)."
)
CX: list[Category] = [
    ("Identity", "name and company name", [CX_SERVICE, CX_MARKETING], "",
     CX_CONTACT_RETENTION, "You; occasionally a third party who has confirmed you consented "
     "to your details being passed to us.", True, True),
    ("Contact", "postal address, email address, telephone and mobile numbers, country and "
     "postcode", [CX_SERVICE, CX_MARKETING, CX_LEGACY], "", CX_CONTACT_RETENTION,
     "You; occasionally a third party who has confirmed you consented to your details being "
     "passed to us.", True, True),
    ("Marketing & Communications", "your marketing consent, and copies of the emails and "
     "post we send you", [CX_MARKETING, CX_LEGACY, CX_SERVICE], "",
     "Copies of emails and mailings: no more than two years. Marketing details: five years "
     "after your last communication while you consent; three months if we have had no "
     "contact from you; deleted within a month if you withdraw consent.", "", True, True),
    ("Profile", "website analytics combined with the personal data you provided",
     [CX_PROFILING], "", "As long as the purpose intended (see 'When you provide personal "
     "data').", "Derived from your data and your use of our website.", False, True),
    ("Technical", "website log files: IP address, when you visited and the pages you visited",
     [CX_ANALYTICS], "Google (Google Analytics)", "", "Collected automatically by our "
     "website.", True, True),
    ("Usage & Tracking", "pages you visit, how long you stay, how you got here and what you "
     "clicked; heat mapping of clicks, mouse movements and scrolling", [CX_ANALYTICS],
     "Google (Google Analytics)", "", "Collected automatically by our website.", True, True),
    ("Call recordings", "recordings of telephone conversations", [CX_SERVICE], "",
     "No more than three months after the call (marketing calls: no more than one month).",
     "Recorded when we speak to you by telephone.", True, True),
    ("Complaints & feedback", "your name, address and what you tell us",
     [("To deal with your feedback or complaint and check our level of service", B.CONSENT,
       "")], "", "Feedback: two years after we respond. Complaints: five years.", "", True,
     True),
]  # fmt: skip

IA_SERVICE = ("To provide the products and services you have selected and manage your account",
              B.CONTRACT, "")  # fmt: skip
IA_LEGAL = ("To meet legal and regulatory obligations: crime, fraud and money laundering "
            "detection and prevention", B.LEGAL_OBLIGATION, "")  # fmt: skip
IA_CREDIT = ("To assess credit risk when provisioning services, and for debt tracing, debt "
             "recovery and credit management", B.LEGITIMATE_INTERESTS,
             "managing credit risk and recovering debts")  # fmt: skip
IA_RESEARCH = ("To improve our products and services, perform analysis and market research",
               B.LEGITIMATE_INTERESTS, "conducting market research")  # fmt: skip
IA_MARKETING = ("To send information about our products and services, and partners', if you "
                "opted in", B.CONSENT, "")  # fmt: skip
IA_RECIPIENTS = (
    "Partners, suppliers, agents, employees and subcontractors who help us deliver the "
    "products and services you use\nCredit reference agencies\nLaw enforcement agencies and "
    "the competition authority, when the law requires"
)
IA_RETENTION = (
    "While you are our customer and after you leave, only as long as we need it: to sort out "
    "disagreements, stop fraud and abuse, prove you had an account, or follow our legal "
    "obligations."
)
IA: list[Category] = [
    ("Identity", "your name, and usernames and passwords to access portals",
     [IA_SERVICE, IA_LEGAL], IA_RECIPIENTS, IA_RETENTION, "You or your organisation "
     "(application and registration forms, surveys and emails).", True, True),
    ("Contact", "name, address, email address and telephone number",
     [IA_SERVICE, IA_LEGAL, IA_MARKETING], IA_RECIPIENTS, IA_RETENTION,
     "You or your organisation; business directories and publicly available sources.",
     True, True),
    ("Financial", "payment details: debit or credit card details, banking details",
     [IA_SERVICE, IA_LEGAL], IA_RECIPIENTS, IA_RETENTION, "You.", True, True),
    ("Credit & fraud checks", "credit report information when you request new services or "
     "a credit account", [IA_CREDIT, IA_LEGAL], "Credit reference agencies\nFraud "
     "prevention agencies", IA_RETENTION, "Credit reference agencies and fraud prevention "
     "agencies.", False, True),
    ("Transactions", "order history (hardware, software, licences), licensing information, "
     "serial numbers and activation keys", [IA_SERVICE], IA_RECIPIENTS, IA_RETENTION,
     "Your orders with us.", True, True),
    ("Marketing & Communications", "your communications with us (requests and complaints) "
     "and marketing preferences", [IA_MARKETING, IA_SERVICE], "", IA_RETENTION,
     "You, by email, SMS and other means.", True, True),
    ("Technical", "device location data and IP address", [IA_RESEARCH, IA_LEGAL], "",
     IA_RETENTION, "Collected as you use our website and services.", True, True),
    ("Usage & Tracking", "your activity on our website; calls, texts and emails made and "
     "received with their date, duration, time and cost", [IA_RESEARCH, IA_SERVICE], "",
     IA_RETENTION, "Generated by your use of our services.", True, True),
]  # fmt: skip

KY_CONTRACT = ("To assess your application, provide and bill the service, and manage every "
               "aspect of it", B.CONTRACT, "")  # fmt: skip
KY_CREDIT = ("To carry out credit checks, keep records up to date, trace your whereabouts "
             "and recover debt", B.CONTRACT, "")  # fmt: skip
KY_MARKETING = ("Direct marketing by SMS, email, phone, post and social media", B.CONSENT, "")
KY_B2B = ("B2B email marketing", B.LEGITIMATE_INTERESTS,
          "B2B marketing to businesses that published their details (recital 47)")  # fmt: skip
KY_QUALITY = ("To record calls between you and our staff for quality assessment and training",
              B.LEGITIMATE_INTERESTS, "quality and training")  # fmt: skip
KY_RECIPIENTS = (
    "Debt collection agencies\nBusiness partners (telecoms suppliers, financial institutions)"
    "\nBack-up and server hosting providers, IT software and maintenance providers\nCredit "
    "reference agencies\nExternal billing providers\nGovernment and regulatory bodies such as "
    "HMRC, Ofcom, the Ombudsman and CICAS\nExternal human resources and employment law "
    "providers"
)
KY_RETENTION = (
    "As long as it reasonably takes to fulfil our business commitment to you; after the "
    "contract ends, as long as someone could reasonably bring a claim against us; and in line "
    "with legal and regulatory requirements or guidance."
)
KY_SOURCE = ("You directly; third parties from whom we buy name, address, landline and "
             "mobile numbers; verified third-party call centres.")  # fmt: skip
KY: list[Category] = [
    ("Identity", "title, full name, date of birth, mother's maiden name",
     [KY_CONTRACT, KY_CREDIT], KY_RECIPIENTS, KY_RETENTION, KY_SOURCE, True, True),
    ("Contact", "address, mobile and landline numbers, email address",
     [KY_CONTRACT, KY_CREDIT, KY_MARKETING, KY_B2B], KY_RECIPIENTS, KY_RETENTION, KY_SOURCE,
     True, True),
    ("Financial", "bank details and the payment methods you use",
     [KY_CONTRACT, KY_CREDIT], "Debt collection agencies\nExternal billing providers",
     KY_RETENTION, "You.", True, True),
    ("Credit reference data", "public and shared credit history (including defaults and "
     "CCJs), financial situation and history", [KY_CREDIT],
     "Credit reference agencies\nDebt collection agencies", KY_RETENTION,
     "Credit reference agencies.", False, True),
    ("Products & Services", "products and services you hold or were interested in, current "
     "and previous packages", [KY_CONTRACT], KY_RECIPIENTS, KY_RETENTION,
     "Your orders and use of our services.", True, True),
    ("Usage & Tracking", "your use of our products and services, including numbers called "
     "and minutes", [KY_CONTRACT], KY_RECIPIENTS, KY_RETENTION,
     "Generated when you use our services.", True, True),
    ("Call recordings", "recordings of calls between you and Kynex staff", [KY_QUALITY], "",
     KY_RETENTION, "Recorded when you speak to us.", True, True),
    ("Marketing & Communications", "your newsletter subscription and marketing preferences; "
     "opt-outs are kept on a suppression list", [KY_MARKETING, KY_B2B],
     "MailChimp (email marketing service, USA)",
     "While we use MailChimp for email marketing, or until you unsubscribe.",
     "You; a data company that supplies B2B marketing data.", True, True),
    ("Special Category", "residency and citizenship status where relevant: nationality, "
     "length of UK residency, right to reside", [KY_CONTRACT], "", KY_RETENTION, "You.",
     True, True),
]  # fmt: skip

# Only what each notice says (issue 13). Where a notice is silent (CFG and Kynex on
# automated decision-making, CX on its transfer safeguard) the field is left blank: the
# access response then needs the officer to write it. A mechanism a notice names that is
# no longer valid (the EU-US Privacy Shield: IA, Kynex) is kept as the notice says it, so
# the letter flags it to the officer instead of printing it as a safeguard.
MAPS: dict[str, dict[str, Any]] = {
    "customer-first-group": {
        "categories": CFG,
        "automated": "",
        "transfers": "We do not transfer your personal data outside of the UK or European "
        "Economic Area (EEA).",
        "systems": [("Customer Service Action website and accounts", "", False, "")],
    },
    "cx-services": {
        "categories": CX,
        "automated": "We may use profiling (the automated processing of personal data to "
        "evaluate certain things about you) to make the information in our emails, mailings "
        "or website more relevant to you, in our legitimate interest. If you do not want us "
        "to use your data in this way, contact us.",
        "transfers": "",
        "systems": [
            ("Secure client database", "United Kingdom", False, ""),
            ("Google Analytics", "USA", True, ""),
        ],
    },
    "intelligent-actions": {
        "categories": IA,
        "automated": "We assess credit risk when provisioning services. You may ask us to "
        "review automated decision-making or profiling (automated processing to determine "
        "certain things about you).",
        "transfers": "Information you provide to us may be passed to third parties outside "
        "the European Economic Area. The country may be approved by the European Commission; "
        "the recipient may have signed a contract obliging it to protect your information; "
        "or the recipient is located in the US and is a certified member of the EU-US "
        "Privacy Shield scheme. You can ask us for a sample copy of the contract.",
        "systems": [("Customer and order systems", "United Kingdom", False, "")],
    },
    "kynex": {
        "categories": KY,
        "automated": "",
        "transfers": "",
        "systems": [
            ("Billing and CRM", "United Kingdom", False, ""),
            ("MailChimp", "USA", True, "EU-U.S. Privacy Shield (as our notice states)."),
            ("Google Analytics", "USA", True, "EU-U.S. Privacy Shield (as our notice states)."),
        ],
    },
}  # fmt: skip


def seed_data_map(controller: Controller) -> list[DataCategory]:
    spec = MAPS.get(controller.slug)
    if spec is None:
        return []
    DataMapSettings.objects.update_or_create(
        controller=controller,
        defaults={"automated_decisions": spec["automated"], "transfers": spec["transfers"]},
    )
    systems = []
    for name, hosted, abroad, safeguard in spec["systems"]:
        system, _ = DataSystem.objects.update_or_create(
            controller=controller,
            name=name,
            defaults={"hosted_in": hosted, "outside_uk": abroad, "transfer_safeguard": safeguard},
        )
        systems.append(system)
    made = []
    for order, (
        name,
        description,
        purposes,
        recipients,
        retention,
        source,
        provided,
        auto,
    ) in enumerate(spec["categories"], start=1):
        category, _ = DataCategory.objects.update_or_create(
            controller=controller,
            name=name,
            defaults={
                "description": description,
                "order": order * 10,
                "special_category": name == "Special Category",
                "recipients": recipients,
                "retention": retention,
                "source": source,
                "provided_by_subject": provided,
                "automated_means": auto,
            },
        )
        category.purposes.all().delete()
        ProcessingPurpose.objects.bulk_create(
            ProcessingPurpose(
                category=category, purpose=p, lawful_basis=basis, basis_detail=detail, order=i
            )
            for i, (p, basis, detail) in enumerate(purposes)
        )
        category.systems.set(systems[:1])
        made.append(category)
    return made


# --- the demo database ---------------------------------------------------------------------

TABLES = {
    "customers": (
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, customer_number VARCHAR(20), "
        "title VARCHAR(10), first_name VARCHAR(100), last_name VARCHAR(100), "
        "email VARCHAR(254), phone VARCHAR(30), date_of_birth DATE, "
        "address_line1 VARCHAR(200), town VARCHAR(100), postcode VARCHAR(10), "
        "username VARCHAR(100), created_at TIMESTAMP, processing_restricted SMALLINT)"
    ),
    "orders": (
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_number VARCHAR(20), "
        "email VARCHAR(254), order_number VARCHAR(20), placed_at TIMESTAMP, "
        "product VARCHAR(200), amount_pence INTEGER, status VARCHAR(20))"
    ),
    "marketing_preferences": (
        "CREATE TABLE marketing_preferences (id INTEGER PRIMARY KEY, email VARCHAR(254), "
        "phone VARCHAR(30), email_opt_in SMALLINT, sms_opt_in SMALLINT, post_opt_in SMALLINT, "
        "consent_source VARCHAR(100), updated_at TIMESTAMP)"
    ),
    "call_records": (
        "CREATE TABLE call_records (id INTEGER PRIMARY KEY, phone VARCHAR(30), "
        "called_at TIMESTAMP, duration_seconds INTEGER, direction VARCHAR(10), "
        "agent VARCHAR(100), recording_ref VARCHAR(40))"
    ),
    "web_sessions": (
        "CREATE TABLE web_sessions (id INTEGER PRIMARY KEY, email VARCHAR(254), "
        "ip_address VARCHAR(45), user_agent VARCHAR(300), started_at TIMESTAMP, "
        "pages_viewed INTEGER, referrer VARCHAR(300))"
    ),
}
COLUMNS = {name: [] for name in TABLES}
for _name, _ddl in TABLES.items():
    _inner = _ddl[_ddl.index("(") + 1 : _ddl.rindex(")")]
    COLUMNS[_name] = [part.strip().split()[0] for part in _inner.split(", ")]

FIRST = (
    "Alice",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Finn",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kavya",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Priya",
    "Quinn",
    "Ravi",
    "Sofia",
    "Tom",
)
LAST = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
        "Patel", "Wright", "Walker", "Khan", "Evans", "Thomas", "Roberts", "Hughes")  # fmt: skip
TOWNS = ("Leeds", "Bristol", "Glasgow", "Cardiff", "Norwich", "York", "Belfast", "Bath")
PRODUCTS = ("Fibre broadband 500", "Business phone line", "Mobile SIM 30GB", "Router hire",
            "Software licence (annual)", "Support plan")  # fmt: skip
AGENTS = ("Jo at the help desk", "Sam in billing", "Alex in sales")
AGENT_STRINGS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0",
)


def _people() -> list[dict[str, Any]]:
    """Everyone in the sample cases (same email and phone), then invented customers."""
    people = []
    for index, spec in enumerate(SAMPLE_CASES):
        name = spec.name
        first, _, last = name.partition(" ")
        people.append(
            {
                "first_name": first,
                "last_name": last or first,
                "email": _email(name, index),
                "phone": f"07700 900{index:03d}" if spec.channel == Channel.PHONE else "",
            }
        )
    # Differs from Margaret Pennington's email only in capitals before the @.
    target = next(p for p in people if f"{p['first_name']} {p['last_name']}" == LOOKALIKE_OF)
    local, _, domain = target["email"].partition("@")
    people.append(
        {
            "first_name": "M.",
            "last_name": "Pennington-Hale",
            "email": f"{local.title()}@{domain}",
            "phone": "",
        }
    )
    rng = random.Random(5)  # noqa: S311 - demo data, not security
    for n in range(200):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        people.append(
            {
                "first_name": first,
                "last_name": last,
                "email": f"{first.lower()}.{last.lower()}{n}@example.com",
                # Ofcom's drama range, above the sample cases' numbers: never a real phone.
                "phone": f"07700 900{500 + n}" if n % 3 else "",
            }
        )
    return people


def _rows(people: list[dict[str, Any]]) -> dict[str, list[tuple]]:
    rng = random.Random(55)  # noqa: S311 - demo data
    base = dt.datetime(2023, 1, 1, 9, 0)
    rows: dict[str, list[tuple]] = {name: [] for name in TABLES}
    ids = dict.fromkeys(TABLES, 0)

    def add(table: str, *values: Any) -> None:
        ids[table] += 1
        rows[table].append((ids[table], *values))

    for n, p in enumerate(people):
        number = f"C{100000 + n}"
        created = base + dt.timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 600))
        # Phones stored the way real systems do: spaced, international, dashed.
        phone = p["phone"]
        if phone and n % 2:
            phone = "+44 " + phone[1:]
        add(
            "customers", number, rng.choice(("Ms", "Mr", "Mx", "Dr", "")), p["first_name"],
            p["last_name"], p["email"], phone or None,
            dt.date(1950 + rng.randint(0, 50), rng.randint(1, 12), rng.randint(1, 28)),
            f"{rng.randint(1, 200)} {rng.choice(('High', 'Station', 'Church', 'Mill'))} Street",
            rng.choice(TOWNS), f"AB{rng.randint(1, 20)} {rng.randint(1, 9)}CD",
            p["email"].split("@")[0], created, 0,
        )  # fmt: skip
        for _ in range(rng.randint(1, 4)):
            add(
                "orders", number, p["email"], f"ORD-{ids['orders'] + 5000}",
                created + dt.timedelta(days=rng.randint(1, 300)), rng.choice(PRODUCTS),
                rng.choice((999, 2500, 3999, 12000)), rng.choice(("paid", "paid", "refunded")),
            )  # fmt: skip
        add(
            "marketing_preferences", p["email"], phone or None, rng.randint(0, 1),
            rng.randint(0, 1), rng.randint(0, 1), rng.choice(("website", "phone", "bought list")),
            created + dt.timedelta(days=rng.randint(0, 100)),
        )  # fmt: skip
        if phone:
            for _ in range(rng.randint(1, 3)):
                add(
                    "call_records", phone.replace(" ", "-") if n % 4 == 0 else phone,
                    created + dt.timedelta(days=rng.randint(0, 200), minutes=rng.randint(0, 500)),
                    rng.randint(30, 1500), rng.choice(("inbound", "outbound")),
                    rng.choice(AGENTS), f"REC-{ids['call_records'] + 90000}",
                )  # fmt: skip
        for _ in range(rng.randint(1, 4)):
            add(
                "web_sessions", p["email"],
                f"203.0.113.{rng.randint(1, 254)}", rng.choice(AGENT_STRINGS),
                created + dt.timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 900)),
                rng.randint(1, 30), rng.choice(("https://www.google.com/", "", "newsletter")),
            )  # fmt: skip
    return rows


def create_demo_tables(alias: str = ALIAS) -> None:
    """(Re)create the demo tables: dropped if present, so the layout is always current."""
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        for name, ddl in TABLES.items():
            if name in existing:
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(name)}")
            cursor.execute(ddl)


def fill_demo_tables(
    alias: str = ALIAS, people: list[dict[str, Any]] | None = None
) -> dict[str, int]:
    """Insert the demo people's rows; returns rows per table."""
    rows = _rows(people if people is not None else _people())
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        for name, table_rows in rows.items():
            columns = COLUMNS[name]
            sql = (
                f"INSERT INTO {connection.ops.quote_name(name)} ({', '.join(columns)}) "  # noqa: S608 - fixed names
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            cursor.executemany(sql, table_rows)
    return {name: len(r) for name, r in rows.items()}


def seed_database(alias: str = ALIAS) -> dict[str, int]:
    create_demo_tables(alias)
    return fill_demo_tables(alias)


# --- sources -------------------------------------------------------------------------------

BY_EMAIL_PHONE_NUMBER = {"email": "email", "phone": "phone", "customer_number": "customer_number"}
IDENTITY_COLUMNS = ["customer_number", "title", "first_name", "last_name", "date_of_birth",
                    "username", "created_at"]  # fmt: skip
CONTACT_COLUMNS = ["email", "phone", "address_line1", "town", "postcode"]
WEB_TECH = ["started_at", "ip_address", "user_agent"]
WEB_USAGE = ["started_at", "pages_viewed", "referrer"]
# (category, table, columns, match columns)
Q = tuple[str, str, list[str], dict[str, str]]
QUERIES: dict[str, list[Q]] = {
    "customer-first-group": [
        ("Identity", "customers", IDENTITY_COLUMNS, BY_EMAIL_PHONE_NUMBER),
        ("Contact", "customers", CONTACT_COLUMNS, BY_EMAIL_PHONE_NUMBER),
        ("Marketing & Communications", "marketing_preferences", [], {"email": "email",
                                                                     "phone": "phone"}),
        ("Technical", "web_sessions", WEB_TECH, {"email": "email"}),
        ("Usage & Tracking", "web_sessions", WEB_USAGE, {"email": "email"}),
    ],
    "cx-services": [
        ("Identity", "customers", ["customer_number", "first_name", "last_name"],
         BY_EMAIL_PHONE_NUMBER),
        ("Contact", "customers", CONTACT_COLUMNS, BY_EMAIL_PHONE_NUMBER),
        ("Marketing & Communications", "marketing_preferences", [], {"email": "email",
                                                                     "phone": "phone"}),
        ("Call recordings", "call_records", [], {"phone": "phone"}),
        ("Technical", "web_sessions", WEB_TECH, {"email": "email"}),
        ("Usage & Tracking", "web_sessions", WEB_USAGE, {"email": "email"}),
    ],
    "intelligent-actions": [
        ("Identity", "customers", ["customer_number", "title", "first_name", "last_name",
                                   "username"], BY_EMAIL_PHONE_NUMBER),
        ("Contact", "customers", CONTACT_COLUMNS, BY_EMAIL_PHONE_NUMBER),
        ("Transactions", "orders", [], {"email": "email", "customer_number": "customer_number"}),
        ("Marketing & Communications", "marketing_preferences", [], {"email": "email",
                                                                     "phone": "phone"}),
        ("Usage & Tracking", "call_records", [], {"phone": "phone"}),
        ("Technical", "web_sessions", WEB_TECH, {"email": "email"}),
    ],
    "kynex": [
        ("Identity", "customers", IDENTITY_COLUMNS, BY_EMAIL_PHONE_NUMBER),
        ("Contact", "customers", CONTACT_COLUMNS, BY_EMAIL_PHONE_NUMBER),
        ("Products & Services", "orders", [], {"email": "email",
                                               "customer_number": "customer_number"}),
        ("Marketing & Communications", "marketing_preferences", [], {"email": "email",
                                                                     "phone": "phone"}),
        ("Call recordings", "call_records", [], {"phone": "phone"}),
    ],
}  # fmt: skip
ERASE_IDENTITY = {"title": None, "first_name": "Erased", "last_name": "Erased",
                  "date_of_birth": None, "username": None}  # fmt: skip
ERASE_CONTACT = {"email": None, "phone": None, "address_line1": None, "town": None,
                 "postcode": None}  # fmt: skip
MANUAL = {
    "customer-first-group": ("Email inbox and post", "Search hello@customerserviceaction.com "
                             "and the post file for the person's name and email address."),
    "cx-services": ("Paper mailings and complaints file", "Check the Non Conformance System "
                    "and the Dunoon post room file."),
    "intelligent-actions": ("Support portal tickets", "Search the support portal for tickets "
                            "raised by the person or their organisation."),
    "kynex": ("Encrypted call recording archive", "Only the IT Manager (DPO) may open it: "
              "search by the person's phone numbers."),
}  # fmt: skip


def _actions(source: DataSource, categories: dict[str, DataCategory]) -> None:
    """Erasure, rectification and restriction for the demo database, in a safe order:
    rows matched by email are handled before the customer's own email is blanked."""
    SourceAction.objects.filter(source=source).delete()
    plan: list[dict[str, Any]] = []
    has = categories.__contains__
    if has("Marketing & Communications"):
        plan.append(
            dict(
                category="Marketing & Communications",
                table="marketing_preferences",
                operation="delete",
                match={"email": "email", "phone": "phone"},
            )
        )
    for name in ("Transactions", "Products & Services"):
        if has(name):
            plan.append(
                dict(
                    category=name,
                    table="orders",
                    operation="anonymise",
                    match={"email": "email", "customer_number": "customer_number"},
                    assignments={"email": None},
                )
            )
    for name in ("Call recordings",):
        if has(name):
            plan.append(
                dict(
                    category=name,
                    table="call_records",
                    operation="delete",
                    match={"phone": "phone"},
                )
            )
    if has("Technical") or has("Usage & Tracking"):
        plan.append(
            dict(
                category="Technical" if has("Technical") else "Usage & Tracking",
                table="web_sessions",
                operation="delete",
                match={"email": "email"},
            )
        )
    plan.append(
        dict(
            category="Identity",
            table="customers",
            operation="anonymise",
            match=BY_EMAIL_PHONE_NUMBER,
            assignments=ERASE_IDENTITY,
        )
    )
    plan.append(
        dict(
            category="Contact",
            table="customers",
            operation="anonymise",
            match=BY_EMAIL_PHONE_NUMBER,
            assignments=ERASE_CONTACT,
        )
    )
    for order, step in enumerate(plan, start=1):
        SourceAction.objects.create(
            source=source,
            right=ActionRight.ERASURE,
            category=categories[step["category"]],
            operation=step["operation"],
            table=step["table"],
            match_columns=step["match"],
            assignments=step.get("assignments", {}),
            order=order * 10,
        )
    SourceAction.objects.create(
        source=source,
        right=ActionRight.RECTIFICATION,
        category=categories["Identity"],
        operation=SourceAction.Operation.UPDATE,
        table="customers",
        match_columns=BY_EMAIL_PHONE_NUMBER,
        input_columns=["last_name"],
        order=10,
    )
    SourceAction.objects.create(
        source=source,
        right=ActionRight.RESTRICTION,
        category=categories["Identity"],
        operation=SourceAction.Operation.ANONYMISE,
        table="customers",
        match_columns=BY_EMAIL_PHONE_NUMBER,
        assignments={"processing_restricted": 1},
        order=10,
    )


def seed_sources(controller: Controller) -> list[DataSource]:
    queries = QUERIES.get(controller.slug)
    if queries is None:
        return []
    categories = {c.name: c for c in DataCategory.objects.filter(controller=controller)}
    system = DataSystem.objects.filter(controller=controller, outside_uk=False).first()
    source, _ = DataSource.objects.update_or_create(
        controller=controller,
        name="Customer database (demo)",
        defaults={"kind": DataSource.Kind.SQL, "database_alias": ALIAS, "system": system},
    )
    source.queries.all().delete()
    for category, table, columns, match in queries:
        SourceQuery.objects.create(
            source=source,
            category=categories[category],
            table=table,
            columns=columns,
            match_columns=match,
        )
    _actions(source, categories)
    name, instructions = MANUAL[controller.slug]
    manual, _ = DataSource.objects.update_or_create(
        controller=controller,
        name=name,
        defaults={"kind": DataSource.Kind.MANUAL, "instructions": instructions},
    )
    SourceAction.objects.filter(source=manual).delete()
    SourceAction.objects.create(
        source=manual,
        right=ActionRight.ERASURE,
        category=categories["Contact"],
        operation=SourceAction.Operation.MANUAL,
        instructions=f"Delete what was found in: {name}.",
        order=5,
    )
    return [source, manual]


def seed(controllers: Iterable[Controller], *, database: bool = True) -> str:
    """Data maps and sources for the demo controllers, then the demo customer database.
    Returns a line for seed_demo's output.

    The demo database is another server's (or file's) business: when it cannot be
    reached the product's demo still loads, and the line says why the data is missing.
    """
    with transaction.atomic():
        for controller in controllers:
            seed_data_map(controller)
            seed_sources(controller)
    if not database:
        return "Data maps and sources: seeded (demo customer database skipped)."
    try:
        rows = seed_database()
    except Exception as exc:  # unreachable server, missing database, no permission
        return (
            f"Demo customer database ({ALIAS}) not filled: {type(exc).__name__}: {exc}. "
            "Set SUBJECT_DATA_URL to a database you can write, then run seed_demo again."
        )
    return "Demo customer database: " + ", ".join(f"{n} {t}" for t, n in rows.items()) + "."
