//! The provider data. Sorted by id (a test keeps it so). Every fact has a source and the date it
//! was last checked against it ([`Source::covers`] says which facts a source backs).
//!
//! Where the provider's own help page was found, it is cited. Where only Thunderbird's ISPDB
//! (<https://autoconfig.thunderbird.net/v1.1/>) confirms a server, ISPDB is cited, and the
//! password policy is left open (see [`AuthPolicy`]) rather than guessed.

use super::*;
use crate::model::Auth::{AppPassword, EncryptedPassword, Oauth2, Password};
use crate::model::Protocol::{Imap, Pop3, Smtp};
use crate::model::Security::{Starttls, Tls};
use UsernameFormat::{EmailAddress, Generated, LocalPart};

/// The day every source below was last checked.
const CHECKED: &str = "2026-11-26";

const fn ep(protocol: Protocol, host: &'static str, port: u16, security: Security) -> Endpoint {
    Endpoint {
        protocol,
        host,
        port,
        security,
        username: None,
    }
}

/// An endpoint whose username format differs from the provider's.
const fn ep_user(
    protocol: Protocol,
    host: &'static str,
    port: u16,
    security: Security,
    username: UsernameFormat,
) -> Endpoint {
    Endpoint {
        protocol,
        host,
        port,
        security,
        username: Some(username),
    }
}

/// A provider's own page (or a page of the software it ships).
const fn page(url: &'static str, title: &'static str, covers: &'static [Fact]) -> Source {
    Source {
        url,
        title,
        verified: CHECKED,
        covers,
    }
}

/// Thunderbird's ISPDB entry for `$domain` (the file named after it).
macro_rules! ispdb {
    ($domain:literal, $($fact:ident),+) => {
        Source {
            url: concat!("https://autoconfig.thunderbird.net/v1.1/", $domain),
            title: concat!("Thunderbird ISPDB: ", $domain),
            verified: CHECKED,
            covers: &[$(Fact::$fact),+],
        }
    };
}

/// ISPDB lists password sign-in over TLS; whether it must be an app-specific password was not
/// confirmed with the provider.
const PASSWORD_PER_ISPDB: AuthPolicy = AuthPolicy {
    accepted: &[Password, AppPassword],
    note: "Password sign-in over TLS (per ISPDB). If the normal password is refused, check the provider's help for a separate mail-app password.",
    since: None,
};

/// As [`PASSWORD_PER_ISPDB`], and ISPDB lists `password-encrypted` (CRAM-MD5) for SMTP.
const PASSWORD_OR_CRAM_PER_ISPDB: AuthPolicy = AuthPolicy {
    accepted: &[Password, AppPassword, EncryptedPassword],
    note: "Password sign-in over TLS; ISPDB lists an encrypted password (CRAM-MD5) for sending. If the normal password is refused, check the provider's help for a separate mail-app password.",
    since: None,
};

/// As [`PASSWORD_PER_ISPDB`], and ISPDB also lists OAuth2.
const OAUTH2_OR_PASSWORD_PER_ISPDB: AuthPolicy = AuthPolicy {
    accepted: &[Oauth2, Password, AppPassword],
    note: "OAuth2 (sign in through the provider's page) or a password over TLS (per ISPDB).",
    since: None,
};

/// Defaults for the fields most providers share; every entry sets the rest.
const BASE: Provider = Provider {
    id: "",
    name: "",
    domains: &[],
    mx_suffixes: &[],
    servers: &[],
    username: EmailAddress,
    auth: PASSWORD_PER_ISPDB,
    enable: &[],
    pop3: None,
    note: None,
    help_url: "",
    sources: &[],
};

/// The Zoho Mail help page, shared by all of Zoho's data centres.
const ZOHO_IMAP_HELP: &str = "https://www.zoho.com/mail/help/imap-access.html";
const ZOHO_AUTH: AuthPolicy = AuthPolicy {
    accepted: &[Password, AppPassword],
    note:
        "Your Zoho password; with two-factor authentication on, an application-specific password.",
    since: None,
};
const ZOHO_ENABLE: &[EnableToggle] = &[EnableToggle {
    protocol: Imap,
    note: "Zoho Mail on the web: Settings → Mail Accounts → your address → IMAP → tick IMAP Access, then Save.",
    url: Some(ZOHO_IMAP_HELP),
}];
const ZOHO_NOTE: Option<&str> = Some(
    "Use the servers of the data centre that holds your account: zoho.com, .eu, .in, .com.au, .jp or zohocloud.ca.",
);
const ZOHO_PAGE: Source = page(
    ZOHO_IMAP_HELP,
    "Zoho Mail Help: Access via IMAP",
    &[Fact::Auth, Fact::Enable],
);

/// Gmail and Google Workspace share Google's servers.
const GOOGLE_SERVERS: &[Endpoint] = &[
    ep(Imap, "imap.gmail.com", 993, Tls),
    ep(Pop3, "pop.gmail.com", 995, Tls),
    ep(Smtp, "smtp.gmail.com", 465, Tls),
    ep(Smtp, "smtp.gmail.com", 587, Starttls),
];
const GOOGLE_POP3: Option<Pop3Notes> = Some(Pop3Notes {
    recent_mode: true,
    server_side_setting: Some(
        "Gmail's own \"When messages are accessed with POP\" setting decides what happens to Gmail's copy.",
    ),
    note: Some("In normal mode each message goes to one POP client only; use recent mode for several."),
});
const GOOGLE_DEV_PAGE: Source = page(
    "https://developers.google.com/gmail/imap/imap-smtp",
    "Google for Developers: IMAP, POP, and SMTP (Gmail)",
    &[Fact::Servers, Fact::Auth],
);
const GOOGLE_LSA_PAGE: Source = page(
    "https://support.google.com/a/answer/14114704",
    "Google Workspace Admin Help: Transition from less secure apps to OAuth",
    &[Fact::Auth, Fact::Enable],
);
const GOOGLE_POP_PAGE: Source = page(
    "https://support.google.com/a/answer/6089246",
    "Google Help: How does POP work in Gmail?",
    &[Fact::Pop3],
);

const OUTLOOK_DOMAINS: &[&str] = &[
    "hotmail.be",
    "hotmail.ca",
    "hotmail.cl",
    "hotmail.co.id",
    "hotmail.co.il",
    "hotmail.co.in",
    "hotmail.co.jp",
    "hotmail.co.kr",
    "hotmail.co.th",
    "hotmail.co.uk",
    "hotmail.co.za",
    "hotmail.com",
    "hotmail.com.ar",
    "hotmail.com.au",
    "hotmail.com.br",
    "hotmail.com.hk",
    "hotmail.com.tr",
    "hotmail.com.tw",
    "hotmail.com.vn",
    "hotmail.cz",
    "hotmail.de",
    "hotmail.dk",
    "hotmail.es",
    "hotmail.fi",
    "hotmail.fr",
    "hotmail.gr",
    "hotmail.hu",
    "hotmail.it",
    "hotmail.lt",
    "hotmail.lv",
    "hotmail.my",
    "hotmail.nl",
    "hotmail.no",
    "hotmail.ph",
    "hotmail.rs",
    "hotmail.se",
    "hotmail.sg",
    "hotmail.sk",
    "live.at",
    "live.be",
    "live.ca",
    "live.cl",
    "live.cn",
    "live.co.jp",
    "live.co.kr",
    "live.co.uk",
    "live.co.za",
    "live.com",
    "live.com.ar",
    "live.com.au",
    "live.com.mx",
    "live.com.my",
    "live.com.ph",
    "live.com.pt",
    "live.com.sg",
    "live.de",
    "live.dk",
    "live.fi",
    "live.fr",
    "live.hk",
    "live.ie",
    "live.in",
    "live.it",
    "live.jp",
    "live.nl",
    "live.no",
    "live.ru",
    "live.se",
    "livemail.tw",
    "msn.com",
    "outlook.at",
    "outlook.be",
    "outlook.cl",
    "outlook.co.id",
    "outlook.co.il",
    "outlook.co.th",
    "outlook.com",
    "outlook.com.ar",
    "outlook.com.au",
    "outlook.com.br",
    "outlook.com.gr",
    "outlook.com.tr",
    "outlook.com.vn",
    "outlook.cz",
    "outlook.de",
    "outlook.dk",
    "outlook.es",
    "outlook.fr",
    "outlook.hu",
    "outlook.ie",
    "outlook.in",
    "outlook.it",
    "outlook.jp",
    "outlook.kr",
    "outlook.lv",
    "outlook.my",
    "outlook.ph",
    "outlook.pt",
    "outlook.sa",
    "outlook.sg",
    "outlook.sk",
    "windowslive.com",
];

const MAIL_COM_DOMAINS: &[&str] = &[
    "2die4.com",
    "accountant.com",
    "activist.com",
    "adexec.com",
    "africamail.com",
    "aircraftmail.com",
    "alabama.usa.com",
    "alaska.usa.com",
    "allergist.com",
    "alumni.com",
    "alumnidirector.com",
    "americamail.com",
    "amorous.com",
    "angelic.com",
    "archaeologist.com",
    "arizona.usa.com",
    "artlover.com",
    "asia-mail.com",
    "atheist.com",
    "australiamail.com",
    "bartender.net",
    "berlin.com",
    "bigger.com",
    "bikerider.com",
    "birdlover.com",
    "blader.com",
    "boardermail.com",
    "brazilmail.com",
    "brew-master.com",
    "california.usa.com",
    "californiamail.com",
    "caress.com",
    "catlover.com",
    "cheerful.com",
    "chef.net",
    "chemist.com",
    "chinamail.com",
    "clerk.com",
    "cliffhanger.com",
    "collector.org",
    "columnist.com",
    "comic.com",
    "computer4u.com",
    "consultant.com",
    "contractor.net",
    "coolsite.net",
    "counsellor.com",
    "count.com",
    "couple.com",
    "cutey.com",
    "cyber-wizard.com",
    "cyberdude.com",
    "cybergal.com",
    "dallasmail.com",
    "dbzmail.com",
    "deliveryman.com",
    "diplomats.com",
    "disciples.com",
    "doctor.com",
    "doglover.com",
    "doramail.com",
    "dr.com",
    "dublin.com",
    "earthling.net",
    "elvisfan.com",
    "email.com",
    "engineer.com",
    "englandmail.com",
    "europe.com",
    "europemail.com",
    "execs.com",
    "fan.com",
    "feelings.com",
    "financier.com",
    "fireman.net",
    "florida.usa.com",
    "footballer.com",
    "gardener.com",
    "geologist.com",
    "germanymail.com",
    "graduate.org",
    "graphic-designer.com",
    "hackermail.com",
    "hairdresser.net",
    "hilarious.com",
    "hockeymail.com",
    "homemail.com",
    "hot-shot.com",
    "hour.com",
    "humanoid.net",
    "illinois.usa.com",
    "iname.com",
    "innocent.com",
    "inorbit.com",
    "instruction.com",
    "instructor.net",
    "insurer.com",
    "irelandmail.com",
    "italymail.com",
    "japan.com",
    "journalist.com",
    "keromail.com",
    "kittymail.com",
    "koreamail.com",
    "lawyer.com",
    "legislator.com",
    "linuxmail.org",
    "london.com",
    "loveable.com",
    "lovecat.com",
    "mad.scientist.com",
    "madonnafan.com",
    "madrid.com",
    "mail.com",
    "mail.org",
    "marchmail.com",
    "mexicomail.com",
    "mindless.com",
    "minister.com",
    "mobsters.com",
    "monarchy.com",
    "moscowmail.com",
    "munich.com",
    "musician.org",
    "muslim.com",
    "myself.com",
    "newyork.usa.com",
    "null.net",
    "nycmail.com",
    "oath.com",
    "optician.com",
    "pacificwest.com",
    "petlover.com",
    "photographer.net",
    "playful.com",
    "poetic.com",
    "politician.com",
    "popstar.com",
    "post.com",
    "presidency.com",
    "priest.com",
    "programmer.net",
    "publicist.com",
    "realtyagent.com",
    "reborn.com",
    "reggaefan.com",
    "religious.com",
    "repairman.com",
    "representative.com",
    "rescueteam.com",
    "revenue.com",
    "rocketship.com",
    "rockfan.com",
    "rome.com",
    "royal.net",
    "saintly.com",
    "salesperson.net",
    "sanfranmail.com",
    "scientist.com",
    "scotlandmail.com",
    "secretary.net",
    "seductive.com",
    "singapore.com",
    "snakebite.com",
    "songwriter.net",
    "soon.com",
    "spainmail.com",
    "teachers.org",
    "techie.com",
    "technologist.com",
    "texas.usa.com",
    "thegame.com",
    "therapist.net",
    "toke.com",
    "tokyo.com",
    "toothfairy.com",
    "tvstar.com",
    "umpire.com",
    "usa.com",
    "uymail.com",
    "wallet.com",
    "webname.com",
    "weirdness.com",
    "who.net",
    "whoever.com",
    "winning.com",
    "witty.com",
    "worker.com",
    "workmail.com",
    "writeme.com",
    "yours.com",
];

const POSTEO_DOMAINS: &[&str] = &[
    "posteo.at",
    "posteo.be",
    "posteo.ca",
    "posteo.ch",
    "posteo.cl",
    "posteo.co",
    "posteo.co.uk",
    "posteo.com",
    "posteo.com.br",
    "posteo.cr",
    "posteo.cz",
    "posteo.de",
    "posteo.dk",
    "posteo.ee",
    "posteo.es",
    "posteo.eu",
    "posteo.fi",
    "posteo.gl",
    "posteo.gr",
    "posteo.hn",
    "posteo.hr",
    "posteo.hu",
    "posteo.ie",
    "posteo.in",
    "posteo.is",
    "posteo.it",
    "posteo.jp",
    "posteo.la",
    "posteo.li",
    "posteo.lt",
    "posteo.lu",
    "posteo.me",
    "posteo.mx",
    "posteo.my",
    "posteo.net",
    "posteo.nl",
    "posteo.no",
    "posteo.nz",
    "posteo.org",
    "posteo.pe",
    "posteo.pl",
    "posteo.pm",
    "posteo.pt",
    "posteo.ro",
    "posteo.se",
    "posteo.sg",
    "posteo.si",
    "posteo.tn",
    "posteo.uk",
    "posteo.us",
];

const GMX_COM_DOMAINS: &[&str] = &[
    "gmx.ca",
    "gmx.cn",
    "gmx.co.in",
    "gmx.co.uk",
    "gmx.com",
    "gmx.com.br",
    "gmx.com.my",
    "gmx.com.tr",
    "gmx.es",
    "gmx.fr",
    "gmx.hk",
    "gmx.ie",
    "gmx.it",
    "gmx.li",
    "gmx.ph",
    "gmx.pt",
    "gmx.ru",
    "gmx.se",
    "gmx.sg",
    "gmx.tm",
    "gmx.tw",
    "gmx.us",
];

const ONET_DOMAINS: &[&str] = &[
    "adres.pl",
    "amorki.pl",
    "autograf.pl",
    "buziaczek.pl",
    "cyberia.pl",
    "onet.com.pl",
    "onet.eu",
    "onet.pl",
    "op.pl",
    "opoczta.pl",
    "poczta.onet.eu",
    "poczta.onet.pl",
    "pseudonim.pl",
    "republika.pl",
    "spoko.pl",
    "vip.onet.pl",
    "vp.pl",
];

const KPN_DOMAINS: &[&str] = &[
    "freeler.nl",
    "hetnet.nl",
    "kpnmail.nl",
    "kpnplanet.nl",
    "on.nl",
    "onsbrabantnet.nl",
    "onsmail.nl",
    "onsnet.nu",
    "onsneteindhoven.nl",
    "onsnetnuenen.nl",
    "planet.nl",
    "snelnet.net",
    "telfort.nl",
    "tip.nl",
    "tiscali.nl",
    "tiscalimail.nl",
    "wxs.nl",
    "xs4all.nl",
];

const ZIGGO_DOMAINS: &[&str] = &[
    "casema.nl",
    "chello.nl",
    "hahah.nl",
    "home.nl",
    "multiweb.nl",
    "quicknet.nl",
    "razcall.com",
    "razcall.nl",
    "upcmail.nl",
    "zeggis.com",
    "zeggis.nl",
    "ziggo.nl",
    "ziggomail.com",
    "zinders.nl",
];

/// Every provider of the curated table, sorted by id (a test keeps it so).
pub static PROVIDERS: &[Provider] = &[
    Provider {
        id: "1und1",
        name: "1&1 (1und1.de)",
        domains: &[
            "go4more.de", "kundenserver.de", "online.de", "onlinehome.de", "schlund.de",
            "sofort-start.de", "sofort-surf.de", "sofortstart.de", "sofortsurf.de",
        ],
        servers: &[
            ep(Imap, "imap.1und1.de", 993, Tls),
            ep(Imap, "imap.1und1.de", 143, Starttls),
            ep(Pop3, "pop.1und1.de", 995, Tls),
            ep(Pop3, "pop.1und1.de", 110, Starttls),
            ep(Smtp, "smtp.1und1.de", 465, Tls),
            ep(Smtp, "smtp.1und1.de", 587, Starttls),
        ],
        help_url: "https://hilfe-center.1und1.de/e-mail-einstellungen",
        sources: &[ispdb!("1und1.de", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "aol",
        name: "AOL Mail",
        domains: &[
            "aim.com", "aol.co.nz", "aol.co.uk", "aol.com", "aol.com.ar", "aol.com.au", "aol.com.br",
            "aol.com.mx", "aol.de", "aol.es", "aol.fr", "aol.it", "aol.se", "compuserve.com", "cs.com",
            "netscape.com", "netscape.net", "verizon.net", "wmconnect.com",
        ],
        mx_suffixes: &["mail.gm0.yahoodns.net"],
        servers: &[
            ep(Imap, "imap.aol.com", 993, Tls),
            ep(Pop3, "pop.aol.com", 995, Tls),
            ep(Smtp, "smtp.aol.com", 465, Tls),
        ],
        auth: AuthPolicy {
            accepted: &[Oauth2, AppPassword],
            note: "Apps that do not use AOL's own sign-in page need an app password: AOL Account Security → Generate app password.",
            since: None,
        },
        note: Some("Verizon.net addresses are AOL Mail accounts and use the same servers."),
        help_url: "https://help.aol.com/articles/how-do-i-use-other-email-applications-to-send-and-receive-my-aol-mail",
        sources: &[
            page(
                "https://help.aol.com/articles/Create-and-manage-app-password",
                "AOL Help: Create and manage 3rd-party app passwords",
                &[Fact::Auth],
            ),
            ispdb!("aol.com", Domains, Mx, Servers, Username, Auth),
            ispdb!("verizon.net", Domains, Servers),
        ],
        ..BASE
    },
    Provider {
        id: "att",
        name: "AT&T Mail",
        domains: &[
            "ameritech.net", "att.net", "bellsouth.net", "currently.com", "flash.net", "nvbell.net",
            "pacbell.net", "prodigy.net", "sbcglobal.net", "snet.net", "swbell.net", "wans.net",
        ],
        servers: &[
            ep(Imap, "imap.mail.att.net", 993, Tls),
            ep(Pop3, "inbound.att.net", 995, Tls),
            ep(Smtp, "outbound.att.net", 465, Tls),
            ep(Smtp, "smtp.mail.att.net", 465, Tls),
        ],
        auth: OAUTH2_OR_PASSWORD_PER_ISPDB,
        help_url: "https://www.att.com/support/article/email-support/KM1010523/",
        sources: &[ispdb!("att.net", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "bluewin",
        name: "Swisscom bluewin",
        domains: &["bluemail.ch", "bluewin.ch"],
        servers: &[
            ep(Imap, "imaps.bluewin.ch", 993, Tls),
            ep(Pop3, "pop3s.bluewin.ch", 995, Tls),
            ep(Smtp, "smtpauths.bluewin.ch", 465, Tls),
        ],
        help_url: "https://smtphelp.bluewin.ch/",
        sources: &[ispdb!("bluewin.ch", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "bt",
        name: "BT Email",
        domains: &["btinternet.com", "btopenworld.com", "talk21.com"],
        servers: &[
            ep(Imap, "mail.btinternet.com", 993, Tls),
            ep(Pop3, "mail.btinternet.com", 995, Tls),
            ep(Smtp, "mail.btinternet.com", 465, Tls),
        ],
        help_url: "https://www.bt.com/help/email",
        sources: &[ispdb!("btinternet.com", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "charter",
        name: "Spectrum (Charter)",
        domains: &["bresnan.net", "charter.net", "spectrum.net"],
        servers: &[
            ep(Imap, "mobile.charter.net", 993, Tls),
            ep(Pop3, "mobile.charter.net", 995, Tls),
            // Implicit TLS on 587, against RFC 8314; ISPDB's entry says so in a comment.
            ep(Smtp, "mobile.charter.net", 587, Tls),
        ],
        note: Some("Spectrum's outgoing server uses SSL/TLS on port 587, not STARTTLS."),
        help_url: "https://www.spectrum.net/support/internet/mobile-email-setup",
        sources: &[ispdb!("charter.net", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "comcast",
        name: "Xfinity Connect (Comcast)",
        domains: &["comcast.net"],
        servers: &[
            ep(Imap, "imap.comcast.net", 993, Tls),
            ep(Imap, "imap.comcast.net", 143, Starttls),
            ep(Pop3, "mail.comcast.net", 995, Tls),
            ep(Pop3, "mail.comcast.net", 110, Starttls),
            ep(Smtp, "smtp.comcast.net", 465, Tls),
            ep(Smtp, "smtp.comcast.net", 587, Starttls),
        ],
        auth: OAUTH2_OR_PASSWORD_PER_ISPDB,
        help_url: "https://www.xfinity.com/support/articles/third-party-email-access",
        sources: &[ispdb!("comcast.net", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "daum",
        name: "Daum Mail (Kakao)",
        domains: &["daum.net"],
        servers: &[
            ep(Imap, "imap.daum.net", 993, Tls),
            ep(Smtp, "smtp.daum.net", 465, Tls),
        ],
        auth: PASSWORD_OR_CRAM_PER_ISPDB,
        help_url: "https://cs.daum.net/faq/43/9234.html#24081",
        sources: &[ispdb!("daum.net", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "fastmail",
        name: "Fastmail",
        domains: &["fastmail.com"],
        mx_suffixes: &["messagingengine.com"],
        servers: &[
            ep(Imap, "imap.fastmail.com", 993, Tls),
            ep(Pop3, "pop.fastmail.com", 995, Tls),
            ep(Smtp, "smtp.fastmail.com", 465, Tls),
        ],
        auth: AuthPolicy {
            accepted: &[AppPassword, Oauth2],
            note: "Mail apps need an app password (Settings → Privacy & Security → Integrations → New App Password); the normal password is refused.",
            since: None,
        },
        pop3: Some(Pop3Notes {
            recent_mode: false,
            server_side_setting: None,
            note: Some("POP downloads only the Inbox; sign in as you+folder@fastmail.com to download another folder."),
        }),
        note: Some("The Basic plan includes no IMAP or SMTP access, so no mail apps."),
        help_url: "https://www.fastmail.com/help/technical/servernamesandports.html",
        sources: &[
            page(
                "https://www.fastmail.com/help/technical/servernamesandports.html",
                "Fastmail Help: Server names and ports",
                &[Fact::Domains, Fact::Servers, Fact::Username, Fact::Auth, Fact::Pop3],
            ),
            page(
                "https://www.fastmail.com/help/clients/apppassword.html",
                "Fastmail Help: App passwords",
                &[Fact::Auth],
            ),
            ispdb!("messagingengine.com", Mx, Servers, Auth),
        ],
        ..BASE
    },
    Provider {
        id: "free",
        name: "Free (free.fr)",
        domains: &["free.fr"],
        servers: &[
            ep(Imap, "imap.free.fr", 993, Tls),
            ep(Pop3, "pop.free.fr", 995, Tls),
            ep(Smtp, "smtp.free.fr", 465, Tls),
        ],
        username: LocalPart,
        help_url: "https://assistance.free.fr/articles/configurer-de-maniere-avancee-mon-logiciel-de-messagerie-609",
        sources: &[ispdb!("free.fr", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "gmail",
        name: "Gmail",
        domains: &["gmail.com", "googlemail.com"],
        servers: GOOGLE_SERVERS,
        auth: AuthPolicy {
            accepted: &[Oauth2, AppPassword],
            note: "Google no longer accepts the account password from mail apps: sign in with Google (OAuth2), or use an app password.",
            // Personal accounts lost "less secure app access" on 2022-05-30 (reported below).
            since: Some("2022-05-30"),
        },
        enable: &[EnableToggle {
            protocol: Pop3,
            note: "Gmail on the web: Settings → Forwarding and POP/IMAP → enable POP, then save.",
            url: Some("https://mail.google.com/mail/#settings/fwdandpop"),
        }],
        pop3: GOOGLE_POP3,
        help_url: "https://developers.google.com/gmail/imap/imap-smtp",
        sources: &[
            GOOGLE_DEV_PAGE,
            GOOGLE_LSA_PAGE,
            GOOGLE_POP_PAGE,
            ispdb!("googlemail.com", Domains, Servers, Username, Auth, Enable),
            page(
                "https://kadansky.com/files/newsletters/2022/2022_03_31.html",
                "Third-party report of Google's announcement: \"Less secure apps\" removed from personal Gmail accounts on 2022-05-30",
                &[Fact::Auth],
            ),
        ],
        ..BASE
    },
    Provider {
        id: "gmx",
        name: "GMX (gmx.net, gmx.de)",
        domains: &[
            "email.gmx", "gmx.at", "gmx.biz", "gmx.ch", "gmx.de", "gmx.eu", "gmx.info", "gmx.net",
            "gmx.org", "mail.gmx", "mein.gmx",
        ],
        servers: &[
            ep(Imap, "imap.gmx.net", 993, Tls),
            ep(Imap, "imap.gmx.net", 143, Starttls),
            ep(Pop3, "pop.gmx.net", 995, Tls),
            ep(Pop3, "pop.gmx.net", 110, Starttls),
            ep(Smtp, "mail.gmx.net", 465, Tls),
            ep(Smtp, "mail.gmx.net", 587, Starttls),
        ],
        enable: &[
            EnableToggle {
                protocol: Imap,
                note: "Allow access via POP3 & IMAP once in your GMX e-mail settings.",
                url: Some("https://hilfe.gmx.net/pop-imap/einschalten.html"),
            },
            EnableToggle {
                protocol: Pop3,
                note: "Allow access via POP3 & IMAP once in your GMX e-mail settings.",
                url: Some("https://hilfe.gmx.net/pop-imap/einschalten.html"),
            },
        ],
        help_url: "https://hilfe.gmx.net/pop-imap/imap/imap-serverdaten.html",
        sources: &[ispdb!("gmx.net", Domains, Servers, Username, Auth, Enable)],
        ..BASE
    },
    Provider {
        id: "gmx-com",
        name: "GMX (gmx.com)",
        domains: GMX_COM_DOMAINS,
        servers: &[
            ep(Imap, "imap.gmx.com", 993, Tls),
            ep(Imap, "imap.gmx.com", 143, Starttls),
            ep(Pop3, "pop.gmx.com", 995, Tls),
            ep(Pop3, "pop.gmx.com", 110, Starttls),
            ep(Smtp, "mail.gmx.com", 465, Tls),
            ep(Smtp, "mail.gmx.com", 587, Starttls),
        ],
        help_url: "https://www.gmx.com/",
        sources: &[ispdb!("gmx.com", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "google-workspace",
        name: "Google Workspace",
        mx_suffixes: &["google.com", "googlemail.com"],
        servers: GOOGLE_SERVERS,
        auth: AuthPolicy {
            accepted: &[Oauth2, AppPassword],
            note: "Sign in with Google (OAuth2); apart from app passwords, passwords no longer work in mail apps (since autumn 2024).",
            since: None,
        },
        pop3: GOOGLE_POP3,
        note: Some("Your own domain on Google's servers; users cannot switch IMAP off or on."),
        help_url: "https://support.google.com/a/answer/14114704",
        sources: &[
            GOOGLE_LSA_PAGE,
            GOOGLE_DEV_PAGE,
            GOOGLE_POP_PAGE,
            ispdb!("googlemail.com", Mx, Servers, Username),
        ],
        ..BASE
    },
    Provider {
        id: "icloud",
        name: "iCloud Mail",
        domains: &["icloud.com", "mac.com", "me.com"],
        servers: &[
            ep(Imap, "imap.mail.me.com", 993, Tls),
            ep_user(Smtp, "smtp.mail.me.com", 587, Starttls, EmailAddress),
        ],
        username: LocalPart,
        auth: AuthPolicy {
            accepted: &[AppPassword],
            note: "Mail apps not made by Apple need an app-specific password: account.apple.com → Sign-In and Security → App-Specific Passwords (needs two-factor authentication).",
            since: None,
        },
        note: Some("IMAP only: iCloud Mail has no POP3 server."),
        help_url: "https://support.apple.com/HT202304",
        sources: &[
            page(
                "https://support.apple.com/en-us/102654",
                "Apple Support: Sign in to apps with your Apple Account using app-specific passwords",
                &[Fact::Auth],
            ),
            ispdb!("me.com", Domains, Servers, Username),
        ],
        ..BASE
    },
    Provider {
        id: "kpn",
        name: "KPN Mail",
        domains: KPN_DOMAINS,
        servers: &[
            ep(Imap, "imap.kpnmail.nl", 993, Tls),
            ep(Imap, "imap.kpnmail.nl", 143, Starttls),
            ep(Pop3, "pop.kpnmail.nl", 995, Tls),
            ep(Pop3, "pop.kpnmail.nl", 110, Starttls),
            ep(Smtp, "smtp.kpnmail.nl", 465, Tls),
            ep(Smtp, "smtp.kpnmail.nl", 587, Starttls),
        ],
        help_url: "https://www.kpn.com/service/internet/e-mail/instellen-laptop-pc.htm",
        sources: &[ispdb!("kpnmail.nl", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "laposte",
        name: "La Poste (laposte.net)",
        domains: &["laposte.net"],
        servers: &[
            ep(Imap, "imap.laposte.net", 993, Tls),
            ep(Pop3, "pop.laposte.net", 995, Tls),
            ep(Smtp, "smtp.laposte.net", 465, Tls),
        ],
        username: LocalPart,
        help_url: "https://aide.laposte.net/mon-courrier-electronique/recevoir-et-lire-mon-courrier/96.html",
        sources: &[ispdb!("laposte.net", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "libero",
        name: "Libero Mail",
        domains: &["blu.it", "giallo.it", "inwind.it", "iol.it", "libero.it"],
        servers: &[
            ep(Imap, "imapmail.libero.it", 993, Tls),
            ep(Pop3, "popmail.libero.it", 995, Tls),
            ep(Smtp, "smtp.libero.it", 465, Tls),
        ],
        help_url: "https://aiuto.libero.it/articolo/mail/parametri-di-configurazione-per-il-client-di-posta/",
        sources: &[ispdb!("libero.it", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "mail-com",
        name: "mail.com",
        domains: MAIL_COM_DOMAINS,
        servers: &[
            ep(Imap, "imap.mail.com", 993, Tls),
            ep(Imap, "imap.mail.com", 143, Starttls),
            ep(Pop3, "pop.mail.com", 995, Tls),
            ep(Pop3, "pop.mail.com", 110, Starttls),
            ep(Smtp, "smtp.mail.com", 465, Tls),
            ep(Smtp, "smtp.mail.com", 587, Starttls),
        ],
        help_url: "https://www.mail.com/",
        sources: &[ispdb!("mail.com", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "mail-ru",
        name: "Mail.ru",
        domains: &["bk.ru", "corp.mail.ru", "inbox.ru", "list.ru", "mail.ru"],
        servers: &[
            ep(Imap, "imap.mail.ru", 993, Tls),
            ep(Imap, "imap.mail.ru", 143, Starttls),
            ep(Pop3, "pop.mail.ru", 995, Tls),
            ep(Pop3, "pop.mail.ru", 110, Starttls),
            ep(Smtp, "smtp.mail.ru", 465, Tls),
            ep(Smtp, "smtp.mail.ru", 587, Starttls),
        ],
        auth: OAUTH2_OR_PASSWORD_PER_ISPDB,
        help_url: "https://help.mail.ru/mail-help/mailer/mt",
        sources: &[ispdb!("mail.ru", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "mailbox-org",
        name: "mailbox.org",
        domains: &["mailbox.org"],
        servers: &[
            ep(Imap, "imap.mailbox.org", 993, Tls),
            ep(Pop3, "pop3.mailbox.org", 995, Tls),
            ep(Smtp, "smtp.mailbox.org", 465, Tls),
            ep(Smtp, "smtp.mailbox.org", 587, Starttls),
        ],
        auth: AuthPolicy {
            accepted: &[Password, AppPassword],
            note: "Your mailbox password; with two-factor authentication on, an application password (Settings → Security → Application passwords).",
            since: None,
        },
        help_url: "https://kb.mailbox.org/en/private/e-mail/e-mail-configuration",
        sources: &[page(
            "https://kb.mailbox.org/en/private/e-mail/e-mail-configuration",
            "mailbox.org Knowledge Base: E-mail configuration",
            &[Fact::Domains, Fact::Servers, Fact::Username, Fact::Auth],
        )],
        ..BASE
    },
    Provider {
        id: "microsoft-365",
        name: "Microsoft 365 (Exchange Online)",
        mx_suffixes: &["mail.protection.outlook.com"],
        servers: &[
            ep(Imap, "outlook.office365.com", 993, Tls),
            ep(Pop3, "outlook.office365.com", 995, Tls),
            ep(Smtp, "smtp.office365.com", 587, Starttls),
        ],
        auth: AuthPolicy {
            accepted: &[Oauth2],
            note: "Sign in with Microsoft (OAuth2). Password sign-in ended for IMAP and POP on 2022-10-01; for SMTP AUTH Microsoft turns it off by default at the end of December 2026.",
            since: Some("2022-10-01"),
        },
        note: Some("Work and school accounts on your own domain; an admin may have turned IMAP, POP or SMTP AUTH off."),
        help_url: "https://techcommunity.microsoft.com/blog/exchange/exchange-online-to-retire-basic-auth-for-client-submission-smtp-auth/4114750",
        sources: &[
            page(
                "https://techcommunity.microsoft.com/blog/exchange/exchange-online-to-retire-basic-auth-for-client-submission-smtp-auth/4114750",
                "Microsoft Exchange Team Blog: Exchange Online to retire Basic auth for Client Submission (SMTP AUTH)",
                &[Fact::Auth, Fact::Servers],
            ),
            ispdb!("office365.com", Mx, Servers, Username, Auth),
            page(
                "https://gitlab.com/groups/gitlab-org/-/epics/8259",
                "Report quoting Microsoft's \"Basic Authentication Deprecation in Exchange Online – May 2022 Update\": Basic Authentication turned off from 2022-10-01",
                &[Fact::Auth],
            ),
            page(
                "https://github.com/msgwing/ZeroSMTP/discussions/460",
                "Third-party report (2026): Basic authentication for SMTP AUTH disabled by default on existing Microsoft 365 tenants at the end of December 2026",
                &[Fact::Auth],
            ),
        ],
        ..BASE
    },
    Provider {
        id: "naver",
        name: "Naver Mail",
        domains: &["naver.com"],
        servers: &[
            ep(Imap, "imap.naver.com", 993, Tls),
            ep(Pop3, "pop.naver.com", 995, Tls),
            ep(Smtp, "smtp.naver.com", 465, Tls),
        ],
        auth: PASSWORD_OR_CRAM_PER_ISPDB,
        help_url: "https://help.naver.com/service/30029/contents/21342?osType=PC&lang=ko",
        sources: &[ispdb!("naver.com", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "netease-126",
        name: "NetEase 126 Mail",
        domains: &["126.com"],
        servers: &[
            ep(Imap, "imap.126.com", 993, Tls),
            ep(Smtp, "smtp.126.com", 465, Tls),
        ],
        help_url: "https://mail.126.com/",
        sources: &[ispdb!("126.com", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "netease-163",
        name: "NetEase 163 Mail",
        domains: &["163.com"],
        servers: &[
            ep(Imap, "imap.163.com", 993, Tls),
            ep(Smtp, "smtp.163.com", 465, Tls),
        ],
        help_url: "https://mail.163.com/",
        sources: &[ispdb!("163.com", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "o2-pl",
        name: "Poczta o2 (Poland)",
        domains: &["go2.pl", "o2.pl", "prokonto.pl", "tlen.pl"],
        servers: &[
            ep(Imap, "poczta.o2.pl", 993, Tls),
            ep(Pop3, "poczta.o2.pl", 995, Tls),
            ep(Smtp, "poczta.o2.pl", 465, Tls),
            ep(Smtp, "poczta.o2.pl", 587, Starttls),
        ],
        username: LocalPart,
        help_url: "https://pomoc.o2.pl/jak-skonfigurowac-program-pocztowy",
        sources: &[ispdb!("o2.pl", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "onet",
        name: "Onet Poczta",
        domains: ONET_DOMAINS,
        servers: &[
            ep(Imap, "imap.poczta.onet.pl", 993, Tls),
            ep(Pop3, "pop3.poczta.onet.pl", 995, Tls),
            ep(Smtp, "smtp.poczta.onet.pl", 465, Tls),
            ep(Smtp, "smtp.poczta.onet.pl", 587, Starttls),
        ],
        help_url: "https://pomoc.poczta.onet.pl/baza-wiedzy/konfiguracja-poczty-w-programie-mozilla-thunderbird/",
        sources: &[ispdb!("onet.pl", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "orange",
        name: "Orange Mail (orange.fr)",
        domains: &["orange.fr", "wanadoo.fr"],
        servers: &[
            ep(Imap, "imap.orange.fr", 993, Tls),
            ep(Pop3, "pop.orange.fr", 995, Tls),
            ep(Smtp, "smtp.orange.fr", 465, Tls),
        ],
        help_url: "https://assistance.orange.fr/ordinateurs-peripheriques/installer-et-utiliser/l-utilisation-du-mail-et-du-cloud/mail-orange/le-mail-orange-nouvelle-version/parametrer-la-boite-mail/mail-orange-comment-acceder-a-sa-boite-mail-orange-depuis-une-application-ou-un-logiciel-de-messagerie-non-fourni-par-orange_434630-964290",
        sources: &[ispdb!("orange.fr", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "outlook",
        name: "Outlook.com (Hotmail, Live, MSN)",
        domains: OUTLOOK_DOMAINS,
        mx_suffixes: &["olc.protection.outlook.com"],
        servers: &[
            ep(Imap, "outlook.office365.com", 993, Tls),
            ep(Pop3, "outlook.office365.com", 995, Tls),
            ep(Smtp, "smtp-mail.outlook.com", 587, Starttls),
        ],
        auth: AuthPolicy {
            accepted: &[Oauth2],
            note: "Outlook.com accepts only OAuth2 (\"modern authentication\") from mail apps: choose Sign in with Microsoft; passwords fail.",
            since: Some("2024-09-16"),
        },
        enable: &[
            EnableToggle {
                protocol: Imap,
                note: "Outlook.com: Settings → Mail → Forwarding and IMAP → turn on \"Let devices and apps use IMAP\", then Save.",
                url: None,
            },
            EnableToggle {
                protocol: Pop3,
                note: "Outlook.com: Settings → Mail → Forwarding and IMAP → turn on \"Let devices and apps use POP\", then Save.",
                url: None,
            },
        ],
        pop3: Some(Pop3Notes {
            recent_mode: false,
            server_side_setting: None,
            note: Some("Deleting a downloaded message in a POP app deletes it from the Outlook.com inbox too."),
        }),
        help_url: "https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-8361e398-8af4-4e97-b147-6c6c4ac95353",
        sources: &[
            page(
                "https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-8361e398-8af4-4e97-b147-6c6c4ac95353",
                "Microsoft Support: POP, IMAP, and SMTP settings for Outlook.com",
                &[Fact::Servers, Fact::Username, Fact::Auth, Fact::Enable],
            ),
            ispdb!("hotmail.com", Domains, Mx, Servers, Username, Auth, Pop3),
            page(
                "https://techissuestoday.com/how-to-update-outlook-email-settings-to-avoid-losing-access-after-september-16/",
                "Third-party report of Microsoft's timeline: Basic Authentication no longer available for Outlook.com accounts from 2024-09-16",
                &[Fact::Auth],
            ),
        ],
        ..BASE
    },
    Provider {
        id: "posteo",
        name: "Posteo",
        domains: POSTEO_DOMAINS,
        servers: &[
            ep(Imap, "posteo.de", 993, Tls),
            ep(Imap, "posteo.de", 143, Starttls),
            ep(Pop3, "posteo.de", 995, Tls),
            ep(Pop3, "posteo.de", 110, Starttls),
            ep(Smtp, "posteo.de", 465, Tls),
            ep(Smtp, "posteo.de", 587, Starttls),
        ],
        help_url: "https://posteo.de/hilfe/wie-richte-ich-posteo-in-einem-mailprogramm-ein-pop3-imap-und-smtp",
        sources: &[ispdb!("posteo.de", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "proton",
        name: "Proton Mail (Bridge)",
        domains: &["pm.me", "proton.me", "protonmail.ch", "protonmail.com"],
        servers: &[
            ep(Imap, "127.0.0.1", 1143, Starttls),
            ep(Smtp, "127.0.0.1", 1025, Starttls),
        ],
        username: Generated,
        auth: AuthPolicy {
            accepted: &[AppPassword],
            note: "Use the username and the Bridge password shown in Bridge (Mailbox details), not your Proton password.",
            since: None,
        },
        note: Some("Mail apps connect to Proton Mail Bridge on this computer (paid plans only); these are Bridge's default ports, use the ones it shows."),
        help_url: "https://proton.me/support/protonmail-bridge-faq",
        sources: &[
            page(
                "https://proton.me/support/protonmail-bridge-faq",
                "Proton Support: Proton Mail Bridge frequently asked questions",
                &[Fact::Username, Fact::Auth],
            ),
            page(
                "https://github.com/ProtonMail/proton-bridge/blob/master/internal/vault/types_settings.go",
                "Proton Mail Bridge source: default IMAP and SMTP ports and connection security",
                &[Fact::Servers],
            ),
            page(
                "https://protonmail.com/support/knowledge-base/addresses-and-aliases/",
                "Proton Support: Types of email addresses and aliases",
                &[Fact::Domains],
            ),
        ],
        ..BASE
    },
    Provider {
        id: "qq",
        name: "QQ Mail",
        domains: &["qq.com"],
        servers: &[
            ep(Imap, "imap.qq.com", 993, Tls),
            ep(Smtp, "smtp.qq.com", 465, Tls),
        ],
        help_url: "https://mail.qq.com/",
        sources: &[ispdb!("qq.com", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "rambler",
        name: "Rambler Mail",
        domains: &["rambler.ru"],
        servers: &[
            ep(Imap, "imap.rambler.ru", 993, Tls),
            ep(Pop3, "pop.rambler.ru", 995, Tls),
            ep(Smtp, "smtp.rambler.ru", 465, Tls),
        ],
        help_url: "https://help.rambler.ru/mail/mail-pochtovye-klienty/1277/",
        sources: &[ispdb!("rambler.ru", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "seznam",
        name: "Seznam Email",
        domains: &["email.cz", "post.cz", "seznam.cz", "spoluzaci.cz"],
        servers: &[
            ep(Imap, "imap.seznam.cz", 993, Tls),
            ep(Pop3, "pop3.seznam.cz", 995, Tls),
            ep(Smtp, "smtp.seznam.cz", 465, Tls),
        ],
        help_url: "https://napoveda.seznam.cz/cz/email/imap-pop3-smtp/",
        sources: &[ispdb!("seznam.cz", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "sfr",
        name: "SFR Mail",
        domains: &["club-internet.fr", "neuf.fr", "sfr.fr"],
        servers: &[
            ep(Imap, "imap.sfr.fr", 993, Tls),
            ep(Pop3, "pop.sfr.fr", 995, Tls),
            ep(Smtp, "smtp.sfr.fr", 465, Tls),
        ],
        help_url: "https://assistance.sfr.fr/runtime/service-et-accessoire/sfr-mail/serveurs-messagerie-sfr.html",
        sources: &[ispdb!("sfr.fr", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "sky",
        name: "Sky Mail (UK)",
        domains: &["sky.com"],
        servers: &[
            ep(Imap, "imap.tools.sky.com", 993, Tls),
            ep(Pop3, "pop.tools.sky.com", 995, Tls),
            ep(Smtp, "smtp.tools.sky.com", 465, Tls),
        ],
        help_url: "https://help.sky.com/articles/get-emails-on-other-clients?product=email",
        sources: &[ispdb!("sky.com", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "t-online",
        name: "Telekom Mail (T-Online)",
        domains: &["magenta.de", "t-online.de"],
        servers: &[
            ep(Imap, "secureimap.t-online.de", 993, Tls),
            ep(Pop3, "securepop.t-online.de", 995, Tls),
            ep(Smtp, "securesmtp.t-online.de", 465, Tls),
            ep(Smtp, "securesmtp.t-online.de", 587, Starttls),
        ],
        auth: AuthPolicy {
            accepted: &[AppPassword],
            note: "Mail apps need the separate E-Mail-Passwort you set up in Telekom's settings; the password for the website and webmail does not work.",
            since: None,
        },
        help_url: "https://www.telekom.de/hilfe/apps-dienste/e-mail/einstellungen/posteingang-postausgang-server",
        sources: &[ispdb!("t-online.de", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "telstra",
        name: "Telstra Mail (BigPond)",
        domains: &["bigpond.com", "bigpond.net", "bigpond.net.au", "telstra.com"],
        servers: &[
            ep(Imap, "imap.telstra.com", 993, Tls),
            ep(Pop3, "pop.telstra.com", 995, Tls),
            ep(Smtp, "smtp.telstra.com", 465, Tls),
        ],
        help_url: "https://www.telstra.com.au/support/category/email/telstra-mail/recommended-email-settings-for-telstra-mail",
        sources: &[ispdb!("bigpond.com", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "tiscali-it",
        name: "Tiscali Mail (Italy)",
        domains: &["tiscali.it"],
        servers: &[
            ep(Imap, "imap.tiscali.it", 993, Tls),
            ep(Pop3, "pop.tiscali.it", 995, Tls),
            ep(Smtp, "smtp.tiscali.it", 465, Tls),
        ],
        auth: AuthPolicy {
            accepted: &[EncryptedPassword],
            note: "ISPDB lists a challenge-response password (CRAM-MD5) over TLS; the provider's own help was not checked.",
            since: None,
        },
        help_url: "https://assistenza.tiscali.it/servizi/guida/posta-elettronica/",
        sources: &[ispdb!("tiscali.it", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "tuta",
        name: "Tuta (Tutanota)",
        domains: &["tuta.com", "tutanota.com"],
        auth: AuthPolicy {
            accepted: &[],
            note: "No mail-app sign-in: use Tuta's own web, desktop and mobile apps.",
            since: None,
        },
        note: Some("No IMAP, POP3 or SMTP at all: Tuta's encryption works only in Tuta's own apps."),
        help_url: "https://tuta.com/support/howto",
        sources: &[page(
            "https://tuta.com/support/howto",
            "Tuta FAQ: Can I use a third-party email app like Thunderbird?",
            &[Fact::Domains, Fact::Servers, Fact::Auth],
        )],
        ..BASE
    },
    Provider {
        id: "virgilio",
        name: "Virgilio Mail",
        domains: &["virgilio.it"],
        servers: &[
            ep(Imap, "in.virgilio.it", 993, Tls),
            ep(Pop3, "in.virgilio.it", 995, Tls),
            ep(Smtp, "out.virgilio.it", 465, Tls),
        ],
        help_url: "https://aiuto.virgilio.it/articolo/mail/configurare-virgilio-mail-con-client-di-posta-imap-e-smtp/",
        sources: &[ispdb!("virgilio.it", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "virgin-media",
        name: "Virgin Media Mail",
        domains: &["virginmedia.com"],
        servers: &[
            ep(Imap, "imap.virginmedia.com", 993, Tls),
            ep(Pop3, "pop3.virginmedia.com", 995, Tls),
            ep(Smtp, "smtp.virginmedia.com", 465, Tls),
        ],
        help_url: "https://help.virginmedia.com/system/web/custom/viewArticle.jsp?uuid=D78BA863-ACDB-47E4-908B-28214405408B",
        sources: &[ispdb!("virginmedia.com", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "vodafone-de",
        name: "Vodafone Mail (Germany)",
        domains: &["arcor.de", "kabelmail.de", "vodafonemail.de"],
        servers: &[
            ep(Imap, "imap.vodafonemail.de", 993, Tls),
            ep(Pop3, "pop3.vodafonemail.de", 995, Tls),
            ep(Smtp, "smtp.vodafonemail.de", 465, Tls),
        ],
        help_url: "https://www.vodafone.de/hilfe/vodafone-e-mail-cloud.html#wie-lauten-die-server-einstellungen-fuer-vodafone-e-mail",
        sources: &[ispdb!("vodafonemail.de", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "web-de",
        name: "WEB.DE",
        domains: &["web.de"],
        servers: &[
            ep(Imap, "imap.web.de", 993, Tls),
            ep(Imap, "imap.web.de", 143, Starttls),
            ep(Pop3, "pop3.web.de", 995, Tls),
            ep(Pop3, "pop3.web.de", 110, Starttls),
            ep(Smtp, "smtp.web.de", 465, Tls),
            ep(Smtp, "smtp.web.de", 587, Starttls),
        ],
        username: LocalPart,
        enable: &[
            EnableToggle {
                protocol: Imap,
                note: "Allow access via POP3 & IMAP once in your WEB.DE e-mail settings.",
                url: Some("https://hilfe.web.de/pop-imap/einschalten.html"),
            },
            EnableToggle {
                protocol: Pop3,
                note: "Allow access via POP3 & IMAP once in your WEB.DE e-mail settings.",
                url: Some("https://hilfe.web.de/pop-imap/einschalten.html"),
            },
        ],
        pop3: Some(Pop3Notes {
            recent_mode: false,
            server_side_setting: None,
            note: Some("Check for new mail at most every 15 minutes; more frequent POP checks fail at sign-in."),
        }),
        help_url: "https://hilfe.web.de/pop-imap/imap/imap-serverdaten.html",
        sources: &[ispdb!("web.de", Domains, Servers, Username, Auth, Enable, Pop3)],
        ..BASE
    },
    Provider {
        id: "wp-pl",
        name: "WP Poczta (Poland)",
        domains: &["wp.pl"],
        servers: &[
            ep(Imap, "imap.wp.pl", 993, Tls),
            ep(Pop3, "pop3.wp.pl", 995, Tls),
            ep(Smtp, "smtp.wp.pl", 465, Tls),
        ],
        username: LocalPart,
        help_url: "https://poczta.wp.pl/info-pomoc-konfig.html?action=more&id=157",
        sources: &[ispdb!("wp.pl", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "xtra",
        name: "Spark Xtra Mail (New Zealand)",
        domains: &["xtra.co.nz"],
        servers: &[
            ep(Imap, "imap.xtra.co.nz", 993, Tls),
            ep(Pop3, "pop3.xtra.co.nz", 995, Tls),
            ep(Smtp, "send.xtra.co.nz", 465, Tls),
        ],
        help_url: "https://www.spark.co.nz/help/get-more/xtra/xtra-mail-setup/",
        sources: &[ispdb!("xtra.co.nz", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "yahoo",
        name: "Yahoo Mail",
        domains: &[
            "cox.net", "myyahoo.com", "rocketmail.com", "yahoo.ca", "yahoo.co.in", "yahoo.co.nz",
            "yahoo.co.uk", "yahoo.com", "yahoo.com.ar", "yahoo.com.au", "yahoo.com.br", "yahoo.com.mx",
            "yahoo.de", "yahoo.es", "yahoo.fr", "yahoo.it", "yahoo.se", "ymail.com",
        ],
        mx_suffixes: &["yahoodns.net"],
        servers: &[
            ep(Imap, "imap.mail.yahoo.com", 993, Tls),
            ep(Imap, "export.imap.mail.yahoo.com", 993, Tls),
            ep(Pop3, "pop.mail.yahoo.com", 995, Tls),
            ep(Smtp, "smtp.mail.yahoo.com", 465, Tls),
        ],
        auth: AuthPolicy {
            accepted: &[Oauth2, AppPassword],
            note: "Apps that do not use Yahoo's own sign-in page need an app password: Yahoo Account Security → External connections → Create app password.",
            since: None,
        },
        note: Some("Cox (cox.net) addresses are Yahoo Mail accounts and use the same servers."),
        help_url: "https://help.yahoo.com/kb/new-mail-for-desktop/imap-server-settings-yahoo-mail-sln4075.html",
        sources: &[
            page(
                "https://help.yahoo.com/kb/generate-manage-rd-party-passwords-sln15241.html",
                "Yahoo Help: Generate and manage 3rd-party app passwords",
                &[Fact::Auth],
            ),
            ispdb!("yahoo.com", Domains, Mx, Servers, Username, Auth),
        ],
        ..BASE
    },
    Provider {
        id: "yandex",
        name: "Yandex Mail",
        domains: &[
            "narod.ru", "ya.ru", "yandex.by", "yandex.com", "yandex.kz", "yandex.net", "yandex.ru",
            "yandex.ua",
        ],
        servers: &[
            ep(Imap, "imap.yandex.com", 993, Tls),
            ep(Pop3, "pop.yandex.com", 995, Tls),
            ep(Smtp, "smtp.yandex.com", 465, Tls),
        ],
        enable: &[EnableToggle {
            protocol: Imap,
            note: "Check 'Enable IMAP' on the mail clients page of Yandex Mail's settings.",
            url: Some("https://mail.yandex.ru/neo/setup_client"),
        }],
        help_url: "https://mail.yandex.ru/neo/setup_client",
        sources: &[ispdb!("yandex.ru", Domains, Servers, Username, Auth, Enable)],
        ..BASE
    },
    Provider {
        id: "ziggo",
        name: "Ziggo Mail",
        domains: ZIGGO_DOMAINS,
        servers: &[
            ep(Imap, "imap.ziggo.nl", 993, Tls),
            ep(Pop3, "pop.ziggo.nl", 995, Tls),
            ep(Smtp, "smtp.ziggo.nl", 587, Starttls),
        ],
        help_url: "https://www.ziggo.nl/klantenservice/e-mail/",
        sources: &[ispdb!("ziggo.nl", Domains, Servers, Username, Auth)],
        ..BASE
    },
    Provider {
        id: "zoho",
        name: "Zoho Mail (zoho.com data centre)",
        domains: &["zoho.com", "zohomail.com"],
        servers: &[
            ep(Imap, "imap.zoho.com", 993, Tls),
            ep(Pop3, "pop.zoho.com", 995, Tls),
            ep(Smtp, "smtp.zoho.com", 465, Tls),
            ep(Smtp, "smtp.zoho.com", 587, Starttls),
        ],
        auth: ZOHO_AUTH,
        enable: ZOHO_ENABLE,
        note: ZOHO_NOTE,
        help_url: ZOHO_IMAP_HELP,
        sources: &[ZOHO_PAGE, ispdb!("zoho.com", Domains, Servers, Username)],
        ..BASE
    },
    Provider {
        id: "zoho-au",
        name: "Zoho Mail (Australia data centre)",
        domains: &["zoho.com.au", "zohomail.com.au"],
        servers: &[
            ep(Imap, "imap.zoho.com.au", 993, Tls),
            ep(Pop3, "pop.zoho.com.au", 995, Tls),
            ep(Smtp, "smtp.zoho.com.au", 465, Tls),
            ep(Smtp, "smtp.zoho.com.au", 587, Starttls),
        ],
        auth: ZOHO_AUTH,
        enable: ZOHO_ENABLE,
        note: ZOHO_NOTE,
        help_url: ZOHO_IMAP_HELP,
        sources: &[ZOHO_PAGE, ispdb!("zoho.com.au", Domains, Servers, Username)],
        ..BASE
    },
    Provider {
        id: "zoho-ca",
        name: "Zoho Mail (Canada data centre)",
        domains: &["zohocloud.ca", "zohomailcloud.ca"],
        servers: &[
            ep(Imap, "imap.zohocloud.ca", 993, Tls),
            ep(Pop3, "pop.zohocloud.ca", 995, Tls),
            ep(Smtp, "smtp.zohocloud.ca", 465, Tls),
            ep(Smtp, "smtp.zohocloud.ca", 587, Starttls),
        ],
        auth: ZOHO_AUTH,
        enable: ZOHO_ENABLE,
        note: ZOHO_NOTE,
        help_url: ZOHO_IMAP_HELP,
        sources: &[ZOHO_PAGE, ispdb!("zohocloud.ca", Domains, Servers, Username)],
        ..BASE
    },
    Provider {
        id: "zoho-eu",
        name: "Zoho Mail (EU data centre)",
        domains: &["zoho.eu", "zohomail.eu"],
        servers: &[
            ep(Imap, "imap.zoho.eu", 993, Tls),
            ep(Pop3, "pop.zoho.eu", 995, Tls),
            ep(Smtp, "smtp.zoho.eu", 465, Tls),
            ep(Smtp, "smtp.zoho.eu", 587, Starttls),
        ],
        auth: ZOHO_AUTH,
        enable: ZOHO_ENABLE,
        note: ZOHO_NOTE,
        help_url: ZOHO_IMAP_HELP,
        sources: &[ZOHO_PAGE, ispdb!("zoho.eu", Domains, Servers, Username)],
        ..BASE
    },
    Provider {
        id: "zoho-in",
        name: "Zoho Mail (India data centre)",
        domains: &["zoho.in", "zohomail.in"],
        servers: &[
            ep(Imap, "imap.zoho.in", 993, Tls),
            ep(Pop3, "pop.zoho.in", 995, Tls),
            ep(Smtp, "smtp.zoho.in", 465, Tls),
            ep(Smtp, "smtp.zoho.in", 587, Starttls),
        ],
        auth: ZOHO_AUTH,
        enable: ZOHO_ENABLE,
        note: ZOHO_NOTE,
        help_url: ZOHO_IMAP_HELP,
        sources: &[ZOHO_PAGE, ispdb!("zoho.in", Domains, Servers, Username)],
        ..BASE
    },
    Provider {
        id: "zoho-jp",
        name: "Zoho Mail (Japan data centre)",
        domains: &["zoho.jp", "zohomail.jp"],
        servers: &[
            ep(Imap, "imap.zoho.jp", 993, Tls),
            ep(Pop3, "pop.zoho.jp", 995, Tls),
            ep(Smtp, "smtp.zoho.jp", 465, Tls),
            ep(Smtp, "smtp.zoho.jp", 587, Starttls),
        ],
        auth: ZOHO_AUTH,
        enable: ZOHO_ENABLE,
        note: ZOHO_NOTE,
        help_url: ZOHO_IMAP_HELP,
        sources: &[ZOHO_PAGE, ispdb!("zoho.jp", Domains, Servers, Username)],
        ..BASE
    },
];
