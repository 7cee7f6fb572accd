//! The endpoint world's second half: `DeviceLogonEvents`, `DeviceRegistryEvents`,
//! `DeviceImageLoadEvents` and `DeviceEvents`, built on the same devices, processes and story
//! as the first three tables.
//!
//! The story's traces here (all on the campaign day unless said otherwise):
//!
//! - 09:11:47 Outlook on Emma's laptop opens the campaign link in the browser
//!   (`DeviceEvents`, `BrowserLaunchedToOpenUrl`);
//! - 09:13:19 onwards the encoded PowerShell runs cmdlets (`PowerShellCommand`), loads the
//!   .NET runtime like every PowerShell, and also `vaultcli.dll` (the Windows credential
//!   vault) and `samlib.dll`, which benign PowerShell here never does (`DeviceImageLoadEvents`);
//! - 09:15:11 the Task Scheduler service writes the `ContosoSyncUpdate` task into
//!   `TaskCache\Tree` and `TaskCache\Tasks` (`DeviceRegistryEvents`) and the sensor reports
//!   `ScheduledTaskCreated` with the task's XML in `AdditionalFields` (`DeviceEvents`);
//! - 13:05 to 13:11 Emma's account logs on over the network, with NTLM, to three colleagues'
//!   laptops from her laptop's address (`DeviceLogonEvents`, `LogonType == "Network"`):
//!   laptops otherwise only receive network logons from the inventory server.
//!
//! The background has the same shapes: Run keys written by Teams and OneDrive, other
//! scheduled tasks (OneDrive and Edge updaters, which also sit at the top of the task tree),
//! PowerShell from Intune scripts, `vaultcli.dll` loaded by Explorer and Edge, and a helpdesk
//! administrator's remote desktop logons.

use super::*;

/// Random streams of this half (the first half uses 101..=106).
mod streams {
    pub const LOGON: u64 = 107;
    pub const REGISTRY: u64 = 108;
    pub const IMAGE: u64 = 109;
    pub const MISC: u64 = 110;
}

/// The helpdesk administrator (a background user) whose remote desktop logons are benign.
pub(crate) const HELPDESK: usize = 45;
/// Colleagues whose laptops Emma's account reaches over the network on the campaign day.
pub(crate) const LATERAL_TARGETS: [usize; 3] = [cast::KWAME, cast::CARLA, cast::BEN];
/// The inventory server that logs on to every laptop each night.
const INVENTORY_SERVER: (&str, &str) = ("CTSO-MGMT01", "10.10.0.20");

const TASKCACHE: &str = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Schedule\TaskCache";
const RUN_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";

/// DLLs and where they live.
const DLLS: &[(&str, &str)] = &[
    ("clr.dll", r"c:\windows\microsoft.net\framework64\v4.0.30319\clr.dll"),
    (
        "System.Management.Automation.ni.dll",
        r"c:\windows\assembly\nativeimages_v4.0.30319_64\system.manaa57fc8cc#\3d6c5bd8b5a64d4ac39d7d9b4c9e0a7c\system.management.automation.ni.dll",
    ),
    ("amsi.dll", r"c:\windows\system32\amsi.dll"),
    ("vaultcli.dll", r"c:\windows\system32\vaultcli.dll"),
    ("samlib.dll", r"c:\windows\system32\samlib.dll"),
    ("taskschd.dll", r"c:\windows\system32\taskschd.dll"),
    ("winhttp.dll", r"c:\windows\system32\winhttp.dll"),
    ("wininet.dll", r"c:\windows\system32\wininet.dll"),
    ("crypt32.dll", r"c:\windows\system32\crypt32.dll"),
    ("mso20win32client.dll", r"c:\program files\common files\microsoft shared\office16\mso20win32client.dll"),
    ("VBE7.DLL", r"c:\program files\microsoft office\root\vfs\programfilescommonx64\microsoft shared\vba\vba7.1\vbe7.dll"),
    ("msedge.dll", r"c:\program files (x86)\microsoft\edge\application\131.0.2903.86\msedge.dll"),
];
const D_CLR: usize = 0;
const D_SMA: usize = 1;
const D_AMSI: usize = 2;
const D_VAULT: usize = 3;
const D_SAMLIB: usize = 4;
const D_TASKSCHD: usize = 5;

/// Cmdlets Intune's benign scripts run.
const INTUNE_CMDLETS: &[&str] =
    &["Get-BitLockerVolume", "Get-ItemProperty", "Set-ItemProperty", "Test-Path", "Get-VpnConnection", "Remove-VpnConnection", "Write-Output"];
const DNS_NAMES: &[&str] =
    &["teams.microsoft.com", "outlook.office365.com", "contoso.sharepoint.com", "login.microsoftonline.com", "www.bing.com", "github.com"];

impl Builder<'_> {
    fn account_of(&self, user: usize) -> u32 {
        user as u32 + 1
    }

    fn dll_size(i: usize) -> i64 {
        40_960 + (fnv(DLLS[i].1) % 4_000_000) as i64
    }

    fn push_image(&mut self, t: i64, device: u32, init: Proc, dll: usize) {
        let home = self.day(device, local_midnight(t)).0;
        let (name, path) = DLLS[dll];
        let target = Target::File {
            name: self.w.strings.id(name),
            folder: self.w.strings.id(path),
            size: Self::dll_size(dll),
            hash: fnv(path),
            origin: 0,
            referrer: 0,
            origin_ip: 0,
            previous: 0,
        };
        self.w.image.push(Ev { t, device, action: "ImageLoaded", init, target, home, report: 0 });
    }

    #[allow(clippy::too_many_arguments)]
    fn push_registry(&mut self, t: i64, device: u32, init: Proc, action: &'static str, key: &str, name: &str, ty: &'static str, data: &str, prev: &str) {
        let home = self.day(device, local_midnight(t)).0;
        let target =
            Target::Registry { key: self.w.strings.id(key), name: self.w.strings.id(name), ty, data: self.w.strings.id(data), prev: self.w.strings.id(prev) };
        self.w.registry.push(Ev { t, device, action, init, target, home, report: 0 });
    }

    /// A `DeviceEvents` row: `fill` sets the columns the action uses.
    fn push_misc(&mut self, t: i64, device: u32, init: Proc, action: &'static str, extra: &str, fill: impl FnOnce(&mut Strings) -> MiscCols) {
        let home = self.day(device, local_midnight(t)).0;
        let c = fill(&mut self.w.strings);
        let target = Target::Misc {
            file: c.file,
            folder: c.folder,
            url: c.url,
            extra: self.w.strings.id(extra),
            reg_key: c.reg_key,
            reg_name: c.reg_name,
            reg_data: c.reg_data,
            remote_ip: c.remote_ip,
            port: c.port,
            account: c.account,
        };
        self.w.misc.push(Ev { t, device, action, init, target, home, report: 0 });
    }

    #[allow(clippy::too_many_arguments)]
    fn push_logon(
        &mut self,
        t: i64,
        device: u32,
        init: Proc,
        action: &'static str,
        account: u32,
        kind: &'static str,
        protocol: &'static str,
        failure: &'static str,
        remote: (&str, &str),
        admin: bool,
    ) {
        let home = self.day(device, local_midnight(t)).0;
        let logon_id = if action == "LogonSuccess" { 100_000 + (mix2((t - self.first_day) as u64, account as u64) % 90_000_000) as i64 } else { 0 };
        let target = Target::Logon {
            account,
            kind,
            protocol,
            failure,
            remote_ip: self.w.strings.id(remote.1),
            remote_device: self.w.strings.id(remote.0),
            admin,
            logon_id,
            port: if remote.1.is_empty() || remote.1 == "127.0.0.1" { 0 } else { 49_152 + (logon_id % 16_000) as i32 },
        };
        self.w.logon.push(Ev { t, device, action, init, target, home, report: 0 });
    }

    fn lsass(&mut self, device: u32, midnight: i64) -> Proc {
        self.system(device, midnight, Img::Services, Img::Winlogon, r"C:\WINDOWS\system32\lsass.exe")
    }

    fn schedule_service(&mut self, device: u32, midnight: i64) -> Proc {
        self.system(device, midnight, Img::Svchost, Img::Services, r"C:\WINDOWS\system32\svchost.exe -k netsvcs -p -s Schedule")
    }

    fn user_hive(&self, device: u32) -> String {
        let user = self.w.devices[device as usize].user;
        format!(r"HKEY_CURRENT_USER\{}", self.w.accounts[user + 1].sid)
    }

    /// The second half of the endpoint world (see the module documentation).
    pub(super) fn second_chapter(&mut self) {
        let rows = self.plan.spec.rows.min(4_000_000);
        self.w.accounts.push(Account {
            domain: "contoso".into(),
            name: "svc-inventory".into(),
            sid: format!("{}-{}", self.w.accounts[1].sid.rsplit_once('-').map_or("", |(d, _)| d), 1099),
            upn: format!("svc-inventory@{}", super::super::plan::ORG_DOMAIN),
            object_id: super::super::rng::guid(mix2(self.plan.spec.seed, 0x1A7)),
        });
        self.background_logons();
        self.background_registry(rows / 2);
        self.background_images(rows / 2);
        self.background_misc(rows / 2);
        self.story_second_half();
    }

    fn background_logons(&mut self) {
        let seed = self.plan.spec.seed;
        let clock = self.plan.spec.clock;
        let mut rng = Rng::stream(seed, streams::LOGON);
        let service_account = self.w.accounts.len() as u32 - 1;
        let helpdesk_device = HELPDESK.min(self.w.devices.len() - 1) as u32;
        let helpdesk_short = self.w.devices[helpdesk_device as usize].name.split('.').next().unwrap_or("").to_uppercase();
        let helpdesk_ip = self.w.devices[helpdesk_device as usize].office_ip.clone();
        for d in 0..self.w.devices.len() as u32 {
            let mut midnight = self.first_day;
            while midnight < clock {
                let lsass = self.lsass(d, midnight);
                // The inventory server's nightly network logon.
                let t = midnight + hms(2, 10, 0, 0) + rng.range(0, 3_000_000) * TICKS_PER_MILLI;
                self.push_logon(t, d, lsass, "LogonSuccess", service_account, "Network", "Kerberos", "", INVENTORY_SERVER, false);
                if weekday(midnight) < 5 {
                    let (home, logon) = self.day(d, midnight);
                    let account = self.account_of(self.w.devices[d as usize].user);
                    let winlogon = self.system(d, midnight, Img::Winlogon, Img::Services, "winlogon.exe");
                    if rng.chance(8, 100) {
                        let t = logon - (5 + rng.range(0, 40)) * TICKS_PER_SECOND;
                        self.push_logon(
                            t,
                            d,
                            winlogon,
                            "LogonFailed",
                            account,
                            "Interactive",
                            "Negotiate",
                            "InvalidUserNameOrPassword",
                            ("", "127.0.0.1"),
                            false,
                        );
                    }
                    let kind = if home { "CachedInteractive" } else { "Interactive" };
                    self.push_logon(logon, d, winlogon, "LogonSuccess", account, kind, "Negotiate", "", ("", "127.0.0.1"), false);
                    // Back from lunch: the screen is unlocked.
                    let t = midnight + hms(12, 30, 0, 0) + rng.range(0, 5_400) * TICKS_PER_SECOND;
                    self.push_logon(t, d, winlogon, "LogonSuccess", account, "Unlock", "Negotiate", "", ("", "127.0.0.1"), false);
                    // Now and then the helpdesk connects to fix something.
                    if d != helpdesk_device && rng.chance(3, 100) {
                        let t = midnight + hms(10, 0, 0, 0) + rng.range(0, 6 * 3600) * TICKS_PER_SECOND;
                        let admin = self.account_of(HELPDESK.min(self.w.devices.len() - 1));
                        self.push_logon(t, d, lsass, "LogonSuccess", admin, "RemoteInteractive", "Kerberos", "", (&helpdesk_short, &helpdesk_ip), true);
                    }
                }
                midnight += TICKS_PER_DAY;
            }
        }
    }

    fn background_registry(&mut self, n: usize) {
        let seed = self.plan.spec.seed;
        let mut rng = Rng::stream(seed, streams::REGISTRY);
        let hours = Weighted::new(self.plan.hour_weights.iter().copied());
        let users = self.user_pick();
        let kinds = Weighted::new([30, 8, 16, 4, 4, 6, 12]);
        for _ in 0..n {
            let (mut t, work) = self.pick_time(&mut rng, &hours);
            let d = users.sample(&mut rng) as u32;
            let midnight = local_midnight(t);
            let mut kind = kinds.sample(&mut rng);
            if !work && kind >= 2 {
                kind = rng.index(2);
            }
            let hive = self.user_hive(d);
            let user_home = self.user_home(d);
            let sid = self.w.accounts[self.w.devices[d as usize].user + 1].sid.clone();
            let (init, action, key, name, ty, data, prev): (Proc, &'static str, String, String, &'static str, String, String) = match kind {
                0 => {
                    let p = self.system(d, midnight, Img::Svchost, Img::Services, r"C:\WINDOWS\system32\svchost.exe -k LocalSystemNetworkRestricted -p -s bam");
                    let exe = rng.pick(&["msedge.exe", "ms-teams.exe", "OUTLOOK.EXE", "WINWORD.EXE", "EXCEL.EXE", "OneDrive.exe", "notepad.exe"]);
                    let key = format!(r"HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\bam\State\UserSettings\{sid}");
                    (p, "RegistryValueSet", key, format!(r"\Device\HarddiskVolume3\Windows\{exe}"), "Binary", hex(rng.next_u64(), 32), String::new())
                }
                1 => {
                    let p = self.system(
                        d,
                        midnight,
                        Img::MsMpEng,
                        Img::Services,
                        r#""C:\ProgramData\Microsoft\Windows Defender\platform\4.18.24090.11-0\MsMpEng.exe""#,
                    );
                    let v = 1_421_000 + rng.below(900);
                    (
                        p,
                        "RegistryValueSet",
                        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Signature Updates".to_string(),
                        "AVSignatureVersion".to_string(),
                        "String",
                        format!("1.{}.{}.0", v / 1000, v % 1000),
                        format!("1.{}.{}.0", v / 1000, v % 1000 - 1.min(v % 1000)),
                    )
                }
                2 => {
                    let (img, app, ext) = if rng.chance(1, 2) { (Img::Word, "Word", "docx") } else { (Img::Excel, "Excel", "xlsx") };
                    let p = self.app(d, midnight, img, r#""C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" "#);
                    let doc = format!("{}_{}.{ext}", rng.pick(DOC_WORDS), rng.pick(DOC_WORDS));
                    (
                        p,
                        "RegistryValueSet",
                        format!(r"{hive}\Software\Microsoft\Office\16.0\{app}\User MRU\ADAL_{}\File MRU", hex(mix2(d as u64, 5), 16).to_uppercase()),
                        "Item 1".to_string(),
                        "String",
                        format!(r"[F00000000][T01DB{}][O00000000]*{user_home}\OneDrive - Contoso\Documents\{doc}", hex(rng.next_u64(), 12).to_uppercase()),
                        String::new(),
                    )
                }
                3 => {
                    let p = self.app(
                        d,
                        midnight,
                        Img::Teams,
                        r#""C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe" msteams:system-initiated"#,
                    );
                    (
                        p,
                        "RegistryValueSet",
                        format!(r"{hive}\{RUN_KEY}"),
                        "ms-teams".to_string(),
                        "String",
                        r#""C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe" msteams:system-initiated"#.to_string(),
                        String::new(),
                    )
                }
                4 => {
                    let p = self.app(d, midnight, Img::OneDrive, r#""C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background"#);
                    (
                        p,
                        "RegistryValueSet",
                        format!(r"{hive}\{RUN_KEY}"),
                        "OneDrive".to_string(),
                        "String",
                        r#""C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background"#.to_string(),
                        String::new(),
                    )
                }
                5 => {
                    let p = self.schedule_service(d, midnight);
                    let task = match rng.index(3) {
                        0 => format!("OneDrive Standalone Update Task-{sid}"),
                        1 => format!("MicrosoftEdgeUpdateTaskMachineCore{{{}}}", super::super::rng::guid(mix2(d as u64, 11)).to_uppercase()),
                        _ => r"Microsoft\Windows\UpdateOrchestrator\Schedule Scan".to_string(),
                    };
                    let id = format!("{{{}}}", super::super::rng::guid(mix2(fnv(&task), d as u64)).to_uppercase());
                    (p, "RegistryValueSet", format!(r"{TASKCACHE}\Tree\{task}"), "Id".to_string(), "String", id, String::new())
                }
                _ => {
                    let ex = self.explorer(d, midnight);
                    let ext = rng.pick(&[".docx", ".xlsx", ".pdf", ".pptx"]);
                    (
                        ex,
                        "RegistryValueSet",
                        format!(r"{hive}\Software\Microsoft\Windows\CurrentVersion\Explorer\RecentDocs\{ext}"),
                        "MRUListEx".to_string(),
                        "Binary",
                        hex(rng.next_u64(), 24),
                        String::new(),
                    )
                }
            };
            if t <= init.created {
                t = init.created + (1 + rng.below(600) as i64) * TICKS_PER_SECOND;
            }
            self.push_registry(t, d, init, action, &key, &name, ty, &data, &prev);
        }
    }

    fn background_images(&mut self, n: usize) {
        let seed = self.plan.spec.seed;
        let mut rng = Rng::stream(seed, streams::IMAGE);
        let hours = Weighted::new(self.plan.hour_weights.iter().copied());
        let users = self.user_pick();
        let kinds = Weighted::new([20, 14, 10, 10, 6, 3, 4]);
        for _ in 0..n {
            let (mut t, _) = self.pick_time(&mut rng, &hours);
            let d = users.sample(&mut rng) as u32;
            let midnight = local_midnight(t);
            let (init, dll) = match kinds.sample(&mut rng) {
                0 => {
                    let p = self.app(d, midnight, Img::Edge, r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --profile-directory=Default"#);
                    (p, rng.pick(&[11, 6, 7, 8, 3]))
                }
                1 => {
                    let p = self.app(d, midnight, Img::Outlook, r#""C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE" "#);
                    (p, rng.pick(&[9, 7, 8]))
                }
                2 => {
                    let (img, cmd) = if rng.chance(1, 2) {
                        (Img::Word, r#""C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" "#)
                    } else {
                        (Img::Excel, r#""C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE" "#)
                    };
                    let p = self.app(d, midnight, img, cmd);
                    (p, rng.pick(&[9, 10, 8]))
                }
                3 => {
                    // Intune's PowerShell scripts load what every PowerShell loads.
                    let agent = self.system(
                        d,
                        midnight,
                        Img::AgentExec,
                        Img::Svchost,
                        r#""C:\Program Files (x86)\Microsoft Intune Management Extension\AgentExecutor.exe" -powershell"#,
                    );
                    let script = rng.pick(INTUNE_SCRIPTS);
                    let cmd = format!(
                        r#""C:\WINDOWS\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -executionPolicy bypass -file "C:\Program Files (x86)\Microsoft Intune Management Extension\Policies\Scripts\{script}.ps1""#
                    );
                    let start = t - 2 * TICKS_PER_SECOND;
                    let ps = Proc { account: 0, session: 0, ..self.child(&agent, Img::PowerShell, &cmd, start, mix2((t - self.first_day) as u64, 9)) };
                    (ps, rng.pick(&[D_CLR, D_SMA, D_AMSI, 8]))
                }
                4 => {
                    let ex = self.explorer(d, midnight);
                    (ex, rng.pick(&[D_VAULT, 8, 6]))
                }
                5 => {
                    let s = self.schedule_service(d, midnight);
                    (s, D_TASKSCHD)
                }
                _ => {
                    let p = self.system(
                        d,
                        midnight,
                        Img::MsMpEng,
                        Img::Services,
                        r#""C:\ProgramData\Microsoft\Windows Defender\platform\4.18.24090.11-0\MsMpEng.exe""#,
                    );
                    (p, rng.pick(&[8, 6]))
                }
            };
            if t <= init.created {
                t = init.created + (1 + rng.below(600) as i64) * TICKS_PER_SECOND;
            }
            self.push_image(t, d, init, dll);
        }
    }

    fn background_misc(&mut self, n: usize) {
        let seed = self.plan.spec.seed;
        let mut rng = Rng::stream(seed, streams::MISC);
        let hours = Weighted::new(self.plan.hour_weights.iter().copied());
        let users = self.user_pick();
        let kinds = Weighted::new([24, 12, 30, 4, 2, 1, 2]);
        for _ in 0..n {
            let (mut t, work) = self.pick_time(&mut rng, &hours);
            let d = users.sample(&mut rng) as u32;
            let midnight = local_midnight(t);
            let mut kind = kinds.sample(&mut rng);
            if !work && (kind == 0 || kind == 4 || kind == 6) {
                kind = 2;
            }
            let account = self.account_of(self.w.devices[d as usize].user);
            let sid = self.w.accounts[account as usize].sid.clone();
            let (init, action, extra, cols): (Proc, &'static str, String, MiscSpec) = match kind {
                0 => {
                    let (img, cmd) = if rng.chance(2, 3) {
                        (Img::Outlook, r#""C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE" "#)
                    } else {
                        (Img::Teams, r#""C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe" msteams:system-initiated"#)
                    };
                    let p = self.app(d, midnight, img, cmd);
                    let url = format!(
                        "https://contoso.sharepoint.com/sites/{}/Shared%20Documents/{}_{}.docx",
                        rng.pick(TEAMS),
                        rng.pick(DOC_WORDS),
                        rng.pick(DOC_WORDS)
                    );
                    (p, "BrowserLaunchedToOpenUrl", String::new(), MiscSpec { url, ..Default::default() })
                }
                1 => {
                    let agent = self.system(
                        d,
                        midnight,
                        Img::AgentExec,
                        Img::Svchost,
                        r#""C:\Program Files (x86)\Microsoft Intune Management Extension\AgentExecutor.exe" -powershell"#,
                    );
                    let script = rng.pick(INTUNE_SCRIPTS);
                    let cmd = format!(
                        r#""C:\WINDOWS\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -executionPolicy bypass -file "C:\Program Files (x86)\Microsoft Intune Management Extension\Policies\Scripts\{script}.ps1""#
                    );
                    let ps = Proc {
                        account: 0,
                        session: 0,
                        ..self.child(&agent, Img::PowerShell, &cmd, t - 2 * TICKS_PER_SECOND, mix2((t - self.first_day) as u64, 9))
                    };
                    (ps, "PowerShellCommand", format!(r#"{{"Command":"{}"}}"#, rng.pick(INTUNE_CMDLETS)), MiscSpec::default())
                }
                2 => {
                    let p = self.system(d, midnight, Img::Svchost, Img::Services, r"C:\WINDOWS\system32\svchost.exe -k NetworkService -p -s Dnscache");
                    let host = rng.pick(DNS_NAMES);
                    let ip = host_ip(host);
                    (
                        p,
                        "DnsQueryResponse",
                        format!(r#"{{"DnsQueryString":"{host}","DnsQueryResult":[{{"DnsQueryType":"A","Address":"{ip}"}}]}}"#),
                        MiscSpec { remote_ip: DNS_SERVER.to_string(), port: 53, ..Default::default() },
                    )
                }
                3 => {
                    let p = self.schedule_service(d, midnight);
                    let (task, exe) = if rng.chance(1, 2) {
                        (format!(r"\OneDrive Standalone Update Task-{sid}"), r"%localappdata%\Microsoft\OneDrive\OneDriveStandaloneUpdater.exe")
                    } else {
                        (
                            format!(r"\MicrosoftEdgeUpdateTaskMachineCore{{{}}}", super::super::rng::guid(mix2(d as u64, 11)).to_uppercase()),
                            r"C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe",
                        )
                    };
                    (p, "ScheduledTaskCreated", task_json(&task, exe, "/c", "Microsoft Corporation"), MiscSpec { account: Some(account), ..Default::default() })
                }
                4 => {
                    let p = self.system(d, midnight, Img::Services, Img::Winlogon, r"C:\WINDOWS\system32\services.exe");
                    let product = rng.pick(&["SanDisk Ultra", "Kingston DataTraveler 3.0", "Samsung BAR Plus"]);
                    (
                        p,
                        "UsbDriveMounted",
                        format!(
                            r#"{{"DriveLetter":"E:","ProductName":"{product}","SerialNumber":"{}","Manufacturer":"{}"}}"#,
                            hex(rng.next_u64(), 12).to_uppercase(),
                            product.split(' ').next().unwrap_or("")
                        ),
                        MiscSpec::default(),
                    )
                }
                5 => {
                    let p = self.system(
                        d,
                        midnight,
                        Img::MsMpEng,
                        Img::Services,
                        r#""C:\ProgramData\Microsoft\Windows Defender\platform\4.18.24090.11-0\MsMpEng.exe""#,
                    );
                    let home = self.user_home(d);
                    (
                        p,
                        "AntivirusDetection",
                        r#"{"ThreatName":"PUA:Win32/Presenoker","WasRemediated":true,"WasExecutingWhileDetected":false,"ReportSource":"Realtime"}"#.to_string(),
                        MiscSpec {
                            file: "free_pdf_converter_setup.exe".into(),
                            folder: format!(r"{home}\Downloads\free_pdf_converter_setup.exe"),
                            account: Some(account),
                            ..Default::default()
                        },
                    )
                }
                _ => {
                    let p = self.app(d, midnight, Img::Edge, r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --profile-directory=Default"#);
                    (
                        p,
                        "SmartScreenUrlWarning",
                        r#"{"Experience":"Untrusted"}"#.to_string(),
                        MiscSpec { url: format!("{}/d/{}", super::super::plan::BLOCKED_SITE, hex(rng.next_u64(), 10)), ..Default::default() },
                    )
                }
            };
            if t <= init.created {
                t = init.created + (1 + rng.below(600) as i64) * TICKS_PER_SECOND;
            }
            self.push_misc(t, d, init, action, &extra, |s| cols.intern(s));
        }
    }

    fn story_second_half(&mut self) {
        let plan = self.plan;
        let clock = plan.spec.clock;
        let spike = hour_start(clock, plan.timeline.spike);
        let d = VICTIM as u32;
        let day = local_midnight(spike);
        let at = |h: i64, m: i64, s: i64, ms: i64| spike + hms(h, m, s, ms);
        let home = self.user_home(d);
        let emma = self.account_of(VICTIM);
        let explorer = self.explorer(d, day);
        let outlook = self.app(d, day, Img::Outlook, r#""C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE" "#);

        // The click opens the browser.
        self.push_misc(at(0, 11, 47, 902), d, outlook, "BrowserLaunchedToOpenUrl", "", |s| {
            MiscSpec { url: super::super::plan::CAMPAIGN_URL.into(), ..Default::default() }.intern(s)
        });

        // The same encoded PowerShell as in DeviceProcessEvents (same PID and start time).
        let ps_cmd = format!(r#""C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -nop -w hidden -enc {}"#, encoded_command(STAGE1_SCRIPT));
        let ps = Proc { pid: 7316, ..self.child(&explorer, Img::PowerShell, &ps_cmd, at(0, 13, 19, 208), 0) };
        for (k, dll) in [D_CLR, D_SMA, D_AMSI, D_VAULT, D_SAMLIB].into_iter().enumerate() {
            let t =
                at(0, 13, 19, 450) + (k as i64 * 180 + if dll == D_VAULT { 41_000 } else { 0 } + if dll == D_SAMLIB { 60_000 } else { 0 }) * TICKS_PER_MILLI;
            self.push_image(t, d, ps, dll);
        }
        for (k, cmdlet) in ["New-Item", "Out-Null", "New-Object"].into_iter().enumerate() {
            self.push_misc(at(0, 13, 20, 100 + 90 * k as i64), d, ps, "PowerShellCommand", &format!(r#"{{"Command":"{cmdlet}"}}"#), |s| {
                MiscSpec::default().intern(s)
            });
        }

        // schtasks.exe registers the logon task; the Task Scheduler service writes it down.
        let task_cmd = format!(
            r#""C:\WINDOWS\system32\schtasks.exe" /create /sc onlogon /tn "{TASK_NAME}" /tr "powershell.exe -w hidden -ep bypass -f '%LOCALAPPDATA%\ContosoSync\{STAGE2_NAME}'" /f"#
        );
        let schtasks = Proc { pid: 2236, ..self.child(&ps, Img::Schtasks, &task_cmd, at(0, 15, 10, 942), 0) };
        self.push_image(at(0, 15, 10, 990), d, schtasks, D_TASKSCHD);
        let service = self.schedule_service(d, day);
        let id = format!("{{{}}}", super::super::rng::guid(mix2(plan.spec.seed, fnv(TASK_NAME))).to_uppercase());
        let tree = format!(r"{TASKCACHE}\Tree\{TASK_NAME}");
        let tasks = format!(r"{TASKCACHE}\Tasks\{id}");
        let logon_key = format!(r"{TASKCACHE}\Logon\{id}");
        let t0 = at(0, 15, 11, 120);
        let ms = |k: i64| t0 + k * 7 * TICKS_PER_MILLI;
        self.push_registry(ms(0), d, service, "RegistryKeyCreated", &tree, "", "", "", "");
        self.push_registry(ms(1), d, service, "RegistryValueSet", &tree, "Id", "String", &id, "");
        self.push_registry(ms(2), d, service, "RegistryValueSet", &tree, "Index", "Dword", "3", "");
        self.push_registry(ms(3), d, service, "RegistryKeyCreated", &tasks, "", "", "", "");
        self.push_registry(ms(4), d, service, "RegistryValueSet", &tasks, "Path", "String", &format!(r"\{TASK_NAME}"), "");
        self.push_registry(ms(5), d, service, "RegistryValueSet", &tasks, "Author", "String", r"CONTOSO\emma.vargas", "");
        self.push_registry(ms(6), d, service, "RegistryValueSet", &tasks, "URI", "String", &format!(r"\{TASK_NAME}"), "");
        self.push_registry(ms(7), d, service, "RegistryKeyCreated", &logon_key, "", "", "", "");
        let extra = task_json(
            &format!(r"\{TASK_NAME}"),
            "powershell.exe",
            &format!(r"-w hidden -ep bypass -f '%LOCALAPPDATA%\ContosoSync\{STAGE2_NAME}'"),
            r"CONTOSO\emma.vargas",
        );
        self.push_misc(ms(9), d, schtasks, "ScheduledTaskCreated", &extra, |s| MiscSpec { account: Some(emma), ..Default::default() }.intern(s));

        // The afternoon: Emma's account reaches three colleagues' laptops over the network.
        let short = VICTIM_DEVICE.split('.').next().unwrap_or("").to_uppercase();
        let from_ip = self.w.devices[VICTIM].office_ip.clone();
        for (k, &target) in LATERAL_TARGETS.iter().enumerate() {
            if target >= self.w.devices.len() {
                continue;
            }
            let t = at(4, 5 + 3 * k as i64, 12 + 7 * k as i64, 320);
            if t >= clock {
                continue;
            }
            let lsass = self.lsass(target as u32, day);
            self.push_logon(t, target as u32, lsass, "LogonSuccess", emma, "Network", "NTLM", "", (&short, &from_ip), false);
        }
        let _ = home;
    }
}

/// The `DeviceEvents` columns an action fills, before interning.
#[derive(Default)]
struct MiscSpec {
    file: String,
    folder: String,
    url: String,
    remote_ip: String,
    port: i32,
    account: Option<u32>,
}

/// The same, interned.
struct MiscCols {
    file: u32,
    folder: u32,
    url: u32,
    reg_key: u32,
    reg_name: u32,
    reg_data: u32,
    remote_ip: u32,
    port: i32,
    account: u32,
}

impl MiscSpec {
    fn intern(self, s: &mut Strings) -> MiscCols {
        MiscCols {
            file: s.id(&self.file),
            folder: s.id(&self.folder),
            url: s.id(&self.url),
            reg_key: 0,
            reg_name: 0,
            reg_data: 0,
            remote_ip: s.id(&self.remote_ip),
            port: self.port,
            account: self.account.unwrap_or(u32::MAX),
        }
    }
}

/// `AdditionalFields` of a `ScheduledTaskCreated` row: the task's name and its XML, shortened.
fn task_json(name: &str, command: &str, arguments: &str, author: &str) -> String {
    let esc = |t: &str| t.replace('\\', "\\\\").replace('"', "\\\"");
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Task><RegistrationInfo><Author>{author}</Author><URI>{name}</URI></RegistrationInfo><Actions Context=\"Author\"><Exec><Command>{command}</Command><Arguments>{arguments}</Arguments></Exec></Actions></Task>"
    );
    format!(r#"{{"TaskName":"{}","TaskContent":"{}"}}"#, esc(name), esc(&xml))
}
