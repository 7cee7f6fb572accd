//! Schemas of the built-in tables and the descriptions the schema pane shows. Column names
//! and types follow Microsoft Defender XDR's advanced hunting reference; the descriptions
//! are written for learners.

use crate::table::{Field, TableDoc};
use crate::types::DataType::{self, *};

type Col = (&'static str, DataType, &'static str);

const URL_CLICK_EVENTS: (&str, &[Col]) = (
    "Safe Links click events: one row each time someone opened a link from an e-mail, a Teams \
     message or an Office document, with what Safe Links decided and why.",
    &[
        ("Timestamp", DateTime, "When the link was clicked (UTC)."),
        ("Url", String, "The link as the user clicked it."),
        (
            "ActionType",
            String,
            "What Safe Links did: ClickAllowed, ClickBlocked, ClickBlockedByTenantPolicy (an admin block-list entry), UrlScanInProgress or UrlErrorPage.",
        ),
        ("AccountUpn", String, "User principal name (sign-in address) of the person who clicked."),
        ("Workload", String, "Where the link was clicked: Email, Teams or Office."),
        ("NetworkMessageId", String, "Identifier of the e-mail the link came from; joins to the Email* tables. Empty for Teams and Office clicks."),
        ("ThreatTypes", String, "Verdict on the link at click time, such as Phish or Malware; empty when nothing was found."),
        ("DetectionMethods", String, "Which detection technology produced the verdict; empty when there is no threat."),
        ("IPAddress", String, "Public IP address of the device the click came from."),
        ("IsClickedThrough", Bool, "True when the user chose to continue past the Safe Links warning page."),
        ("UrlChain", String, "For links that redirect: every URL of the redirect chain, as a JSON array. Empty otherwise."),
        (
            "ReportId",
            String,
            "Identifier of the click. The warning-page event and the click-through that follows it share one ReportId, so use it to count clicks.",
        ),
        ("AppName", String, "Client application the click happened in."),
        ("AppVersion", String, "Version of that client application."),
        ("SourceId", String, "Identifier of the source that reported the click."),
        ("TenantId", String, "Identifier of the workspace the event was collected into."),
        ("Type", String, "Name of the table: UrlClickEvents."),
        ("SourceSystem", String, "Kind of agent that collected the event."),
        ("TimeGenerated", DateTime, "Same as Timestamp; kept for compatibility with queries written for Sentinel."),
    ],
);

const EMAIL_EVENTS: (&str, &[Col]) = (
    "One row per delivered (or stopped) copy of an e-mail: sender, recipient, subject, \
     authentication results and what the filtering stack decided. Join to UrlClickEvents on \
     NetworkMessageId.",
    &[
        ("Timestamp", DateTime, "When the message was processed (UTC)."),
        ("NetworkMessageId", String, "Microsoft 365's identifier of the message; the join key for every Email* table and UrlClickEvents."),
        ("InternetMessageId", String, "The Message-ID header set by the sending mail system."),
        ("SenderMailFromAddress", String, "Envelope sender (MAIL FROM / Return-Path) address."),
        ("SenderFromAddress", String, "Sender address in the From header, the one mail clients display."),
        ("SenderDisplayName", String, "Sender's display name."),
        ("SenderObjectId", String, "Entra ID object id of the sender when the sender is in the organisation; empty otherwise."),
        ("SenderMailFromDomain", String, "Domain of the envelope sender."),
        ("SenderFromDomain", String, "Domain of the From header address."),
        ("SenderIPv4", String, "IPv4 address of the last mail server that relayed the message."),
        ("SenderIPv6", String, "IPv6 address of that server, when it used IPv6."),
        ("RecipientEmailAddress", String, "Recipient address (after distribution lists are expanded)."),
        ("RecipientObjectId", String, "Entra ID object id of the recipient; empty for external recipients."),
        ("Subject", String, "Subject line."),
        ("EmailClusterId", Long, "Identifier shared by messages judged similar in content (a campaign shares one)."),
        ("EmailDirection", String, "Inbound, Outbound or Intra-org."),
        ("DeliveryAction", String, "Delivered, Junked, Blocked or Replaced."),
        ("DeliveryLocation", String, "Where the message landed at delivery: Inbox/folder, Junk folder, Quarantine, and so on."),
        ("ThreatTypes", String, "Threats the filters found at delivery, such as Phish, Malware or Spam; empty if none."),
        ("ThreatNames", String, "Names of detected malware or other threats."),
        ("DetectionMethods", String, "How each threat was detected, as JSON keyed by threat type."),
        ("ConfidenceLevel", String, "Confidence of the spam and phishing verdicts, as JSON (spam confidence level numbers; High/Low for phish)."),
        ("BulkComplaintLevel", Int, "Bulk complaint level: how likely bulk mail from this sender is to draw complaints."),
        ("EmailAction", String, "Final action taken because of the verdict or policies, e.g. No action taken, Send to quarantine."),
        ("EmailActionPolicy", String, "The policy behind that action."),
        ("EmailActionPolicyGuid", String, "Identifier of that policy."),
        ("AuthenticationDetails", String, "SPF, DKIM, DMARC and composite authentication results, as JSON."),
        ("AttachmentCount", Int, "Number of attachments."),
        ("UrlCount", Int, "Number of links in the message."),
        ("EmailLanguage", String, "Detected language of the message."),
        ("Connectors", String, "Mail-flow connectors the message went through."),
        ("OrgLevelAction", String, "Action from an organisation-wide policy match, if any."),
        ("OrgLevelPolicy", String, "The organisation-wide policy that matched."),
        ("UserLevelAction", String, "Action from the recipient's own mailbox settings, if any."),
        ("UserLevelPolicy", String, "The recipient's setting that matched."),
        ("ReportId", String, "Identifier of this event row."),
        ("AdditionalFields", String, "Extra details as JSON."),
        ("LatestDeliveryLocation", String, "Where the message is now, after any later moves (for example by zero-hour auto purge)."),
        ("LatestDeliveryAction", String, "The last action taken on the message, by the service or an administrator."),
    ],
);

const EMAIL_URL_INFO: (&str, &[Col]) = (
    "Links found in e-mails: one row per URL per message. Join to EmailEvents on NetworkMessageId.",
    &[
        ("Timestamp", DateTime, "When the message was processed (UTC)."),
        ("NetworkMessageId", String, "Identifier of the message the link is in."),
        ("Url", String, "The full link."),
        ("UrlDomain", String, "Host name of the link."),
        ("UrlLocation", String, "Part of the message the link was found in, such as Body, Subject, Attachment or QRCode."),
        ("ReportId", String, "Identifier of this event row."),
    ],
);

const EMAIL_ATTACHMENT_INFO: (&str, &[Col]) = (
    "Files attached to e-mails: one row per attachment per recipient, with its hash and any \
     malware verdict.",
    &[
        ("Timestamp", DateTime, "When the message was processed (UTC)."),
        ("NetworkMessageId", String, "Identifier of the message carrying the file."),
        ("SenderFromAddress", String, "Sender address in the From header."),
        ("SenderDisplayName", String, "Sender's display name."),
        ("SenderObjectId", String, "Entra ID object id of an internal sender; empty otherwise."),
        ("RecipientEmailAddress", String, "Recipient address."),
        ("RecipientObjectId", String, "Entra ID object id of the recipient."),
        ("FileName", String, "Name of the attached file."),
        ("FileType", String, "File type (extension)."),
        ("SHA256", String, "SHA-256 hash of the file."),
        ("FileSize", Long, "Size of the file in bytes."),
        ("ThreatTypes", String, "Threats found in the file, such as Malware; empty if none."),
        ("ThreatNames", String, "Detection name of the threat."),
        ("DetectionMethods", String, "How the threat was detected."),
        ("ReportId", String, "Identifier of this event row."),
    ],
);

const EMAIL_POST_DELIVERY_EVENTS: (&str, &[Col]) = (
    "Actions taken on messages after they were delivered: zero-hour auto purge (ZAP) of \
     phishing or malware, and manual remediation by administrators.",
    &[
        ("Timestamp", DateTime, "When the action happened (UTC)."),
        ("NetworkMessageId", String, "Identifier of the message acted on."),
        ("InternetMessageId", String, "The Message-ID header of the message."),
        ("Action", String, "What was done, e.g. Moved to quarantine or Soft delete."),
        ("ActionType", String, "Why: Phish ZAP, Malware ZAP or Manual remediation."),
        ("ActionTrigger", String, "Who started it: SpecialAction for automatic mechanisms such as ZAP, AdminAction for administrators."),
        ("ActionResult", String, "Outcome of the action."),
        ("RecipientEmailAddress", String, "Mailbox the message was in."),
        ("DeliveryLocation", String, "Where the message is after the action."),
        ("ThreatTypes", String, "The threat that prompted the action."),
        ("DetectionMethods", String, "How that threat was detected."),
        ("ReportId", String, "Identifier of this event row."),
    ],
);

fn table_def(name: &str) -> Option<(&'static str, &'static [Col])> {
    Some(match name {
        "UrlClickEvents" => URL_CLICK_EVENTS,
        "EmailEvents" => EMAIL_EVENTS,
        "EmailUrlInfo" => EMAIL_URL_INFO,
        "EmailAttachmentInfo" => EMAIL_ATTACHMENT_INFO,
        "EmailPostDeliveryEvents" => EMAIL_POST_DELIVERY_EVENTS,
        _ => return None,
    })
}

/// What the tables whose columns come from [`super::reference`] are for.
fn device_table(name: &str) -> Option<&'static str> {
    Some(match name {
        "DeviceProcessEvents" => {
            "Processes started on Contoso's laptops (Defender for Endpoint): one row per new process, \
             with its command line, the process that started it (InitiatingProcess*) and that \
             process's parent, the account, and hashes of the image. Walk a process tree by \
             joining ProcessId to InitiatingProcessId on the same DeviceId."
        }
        "DeviceNetworkEvents" => {
            "Network connections made by processes on Contoso's laptops: where to (RemoteIP, \
             RemotePort, RemoteUrl), from which local address, over which protocol, whether it \
             worked, and which process made it."
        }
        "DeviceFileEvents" => {
            "Files created, modified, renamed and deleted on Contoso's laptops, with hashes, the \
             process that did it and, for downloads, where the file came from (FileOrigin*)."
        }
        "DeviceLogonEvents" => {
            "Logons on Contoso's laptops: who (Account*), how (LogonType: Interactive, \
             CachedInteractive, Unlock, Network, RemoteInteractive), with which protocol, from \
             where (RemoteIP, RemoteDeviceName) and whether it worked (ActionType LogonSuccess or \
             LogonFailed, with FailureReason)."
        }
        "DeviceRegistryEvents" => {
            "Registry keys created and values set on Contoso's laptops, with the process that did \
             it. Run keys and the Task Scheduler's TaskCache are where persistence shows."
        }
        "DeviceImageLoadEvents" => {
            "DLLs loaded by processes on Contoso's laptops (ActionType ImageLoaded): which \
             library (FileName, FolderPath, hashes) went into which process (InitiatingProcess*)."
        }
        "DeviceEvents" => {
            "Everything else the endpoint sensor reports, one kind per ActionType: \
             BrowserLaunchedToOpenUrl, PowerShellCommand, DnsQueryResponse, ScheduledTaskCreated, \
             UsbDriveMounted, AntivirusDetection, SmartScreenUrlWarning. The details of each kind \
             are in AdditionalFields, a dynamic value (AdditionalFields.Command, .TaskName, ...)."
        }
        "DeviceInfo" => {
            "One row per laptop per day: its name, operating system, public address, who is \
             logged on (LoggedOnUsers, a JSON array) and its exposure. Use arg_max(Timestamp, *) \
             by DeviceId for the latest state."
        }
        "DeviceNetworkInfo" => {
            "One row per laptop and network adapter per day: MAC address, the addresses it has \
             (IPAddresses, a JSON array), DNS servers, gateways and the networks it is on."
        }
        "IdentityLogonEvents" => {
            "Authentications seen by Defender for Identity on the domain controller (Kerberos and \
             NTLM, Application 'Active Directory') and by Defender for Cloud Apps for Microsoft 365 \
             (Application 'Office 365'), with the source device and address."
        }
        "IdentityInfo" => {
            "The directory: one row per account per day with name, department, job title, \
             manager, city and country, and risk state. Join on AccountUpn or AccountObjectId; \
             use arg_max(Timestamp, *) by AccountObjectId for the latest row."
        }
        "AlertInfo" => {
            "One row per alert from any Defender product: title, category, severity, which \
             product raised it and the MITRE ATT&CK techniques. Join to AlertEvidence on AlertId."
        }
        "AlertEvidence" => {
            "The entities each alert is about, one row per entity: EntityType (Process, File, \
             Url, Ip, User, Machine, MailMessage, Mailbox, RegistryValue, ...) and EvidenceRole \
             (Impacted or Related), with the columns that describe that kind of entity filled in."
        }
        "CloudAppEvents" => {
            "Activity in Microsoft 365 as Defender for Cloud Apps records it: files opened in \
             SharePoint and OneDrive, Teams messages, mailbox activity and settings in Exchange \
             Online (New-InboxRule, Set-Mailbox), with the address, country and ISP. The full \
             record is in RawEventData (dynamic)."
        }
        "EntraIdSignInEvents" => {
            "Microsoft Entra ID sign-ins (interactive and not): who, to which application, from \
             which address and country, with ErrorCode 0 for success (50126 wrong password, \
             50074 MFA required, 500121 MFA denied or failed) and risk levels."
        }
        "SigninLogs" => super::cloud::sentinel::DESCRIPTION,
        "AADSignInEventsBeta" => {
            "The old name of EntraIdSignInEvents, which replaced it in December 2025: the same \
             rows, with the device id column still called AadDeviceId. Kept so that older \
             queries run; write new ones against EntraIdSignInEvents."
        }
        _ => return None,
    })
}

/// Descriptions of the endpoint tables' columns, by name (most columns mean the same in all
/// three tables).
fn device_column(table: &str, col: &str) -> &'static str {
    let process = table == "DeviceProcessEvents";
    let endpoint_events = table.starts_with("Device") && table.ends_with("Events");
    if table == "SigninLogs" {
        return super::cloud::sentinel::column_doc(col);
    }
    if !endpoint_events {
        let d = super::docs_more::column(table, col);
        if !d.is_empty() {
            return d;
        }
    }
    match col {
        "Timestamp" => "When the sensor recorded the event (UTC).",
        "DeviceId" => "Defender's identifier of the device (40 hex digits).",
        "DeviceName" => "Fully qualified name of the device, e.g. ctso-lt-2417.corp.contoso.com.",
        "ActionType" => match table {
            "DeviceProcessEvents" => "What happened: ProcessCreated.",
            "DeviceNetworkEvents" => "What happened: ConnectionSuccess, ConnectionFailed or ConnectionAttempt.",
            "DeviceLogonEvents" => "What happened: LogonSuccess or LogonFailed.",
            "DeviceRegistryEvents" => "What happened: RegistryKeyCreated, RegistryValueSet, RegistryValueDeleted or RegistryKeyDeleted.",
            "DeviceImageLoadEvents" => "What happened: ImageLoaded.",
            "DeviceEvents" => "The kind of event; each kind fills its own columns and AdditionalFields.",
            "DeviceFileEvents" => "What happened to the file: FileCreated, FileModified, FileRenamed or FileDeleted.",
            "IdentityLogonEvents" => "LogonSuccess or LogonFailed.",
            _ => "Type of activity that triggered the event.",
        },
        "FileName" if process => "File name of the new process's image, e.g. powershell.exe.",
        "FileName" => "Name of the file the action was applied to.",
        "FolderPath" if process => "Full path of the new process's image.",
        "FolderPath" => "Full path of the file, including its name.",
        "SHA1" => "SHA-1 hash of the file (or of the new process's image).",
        "SHA256" => "SHA-256 hash; like the real sensor, often empty for files, so prefer SHA1.",
        "MD5" => "MD5 hash of the file.",
        "FileSize" => "Size of the file in bytes.",
        "ProcessVersionInfoCompanyName" => "Company name from the new process image's version resource.",
        "ProcessVersionInfoProductName" => "Product name from the new process image's version resource.",
        "ProcessVersionInfoProductVersion" => "Product version from the new process image's version resource.",
        "ProcessVersionInfoInternalFileName" => "Internal name from the new process image's version resource.",
        "ProcessVersionInfoOriginalFileName" => "Original file name from the version resource: stays the same when an attacker renames a binary.",
        "ProcessVersionInfoFileDescription" => "File description from the new process image's version resource.",
        "ProcessId" => "Process id (PID) of the new process. Its children have it as InitiatingProcessId.",
        "ProcessCommandLine" => "Full command line of the new process: the column most hunts search.",
        "ProcessIntegrityLevel" => "Integrity level of the new process: System, High, Medium or Low.",
        "ProcessTokenElevation" => "UAC token type of the new process: TokenElevationTypeDefault, TokenElevationTypeLimited or TokenElevationTypeFull.",
        "ProcessCreationTime" => "When the new process started.",
        "AccountDomain" => "Domain of the account the new process runs as.",
        "AccountName" => "User name of the account the new process runs as.",
        "AccountSid" => "Security identifier (SID) of that account.",
        "AccountUpn" => "User principal name of that account; empty for local system accounts.",
        "AccountObjectId" => "Entra ID object id of that account.",
        "LogonId" => "Logon session of the new process (unique on one device until it restarts).",
        "InitiatingProcessAccountDomain" => "Domain of the account the initiating process runs as.",
        "InitiatingProcessAccountName" => "User name of the account the initiating process runs as (system for SYSTEM).",
        "InitiatingProcessAccountSid" => "SID of the account the initiating process runs as.",
        "InitiatingProcessAccountUpn" => "User principal name of the account the initiating process runs as; joins to AccountUpn in UrlClickEvents.",
        "InitiatingProcessAccountObjectId" => "Entra ID object id of the account the initiating process runs as.",
        "InitiatingProcessLogonId" => "Logon session of the initiating process.",
        "InitiatingProcessIntegrityLevel" => "Integrity level of the initiating process.",
        "InitiatingProcessTokenElevation" => "UAC token type of the initiating process.",
        "InitiatingProcessSHA1" => "SHA-1 of the initiating process's image.",
        "InitiatingProcessSHA256" => "SHA-256 of the initiating process's image.",
        "InitiatingProcessMD5" => "MD5 of the initiating process's image.",
        "InitiatingProcessFileName" => {
            "Image name of the process that caused the event: the parent of a new process, the program that connected or wrote the file."
        }
        "InitiatingProcessFileSize" => "Size of the initiating process's image in bytes.",
        "InitiatingProcessVersionInfoCompanyName" => "Company name from the initiating image's version resource.",
        "InitiatingProcessVersionInfoProductName" => "Product name from the initiating image's version resource.",
        "InitiatingProcessVersionInfoProductVersion" => "Product version from the initiating image's version resource.",
        "InitiatingProcessVersionInfoInternalFileName" => "Internal name from the initiating image's version resource.",
        "InitiatingProcessVersionInfoOriginalFileName" => "Original file name from the initiating image's version resource.",
        "InitiatingProcessVersionInfoFileDescription" => "File description from the initiating image's version resource.",
        "InitiatingProcessId" => "PID of the initiating process. Together with DeviceId it names one process; match it to ProcessId to climb a tree.",
        "InitiatingProcessCommandLine" => "Command line of the initiating process.",
        "InitiatingProcessCreationTime" => "When the initiating process started.",
        "InitiatingProcessFolderPath" => "Full path of the initiating process's image.",
        "InitiatingProcessParentId" => "PID of the initiating process's parent (the grandparent of a new process).",
        "InitiatingProcessParentFileName" => "Image name of the initiating process's parent.",
        "InitiatingProcessParentCreationTime" => "When the initiating process's parent started.",
        "InitiatingProcessSignerType" => "Who signed the initiating image: OsVendor, Microsoft, AppStore or Other.",
        "InitiatingProcessSignatureStatus" => "Whether that signature checked out.",
        "ReportId" if !table.starts_with("Device") => "Identifier of the event row.",
        "ReportId" => "Event number from a counter on each device: unique only together with DeviceName and Timestamp.",
        "AppGuardContainerId" => "Application Guard container of isolated browsing; empty here.",
        "AdditionalFields" if table == "DeviceEvents" => "Details of the event as a dynamic value: read them with AdditionalFields.Name (Command, TaskName, TaskContent, DnsQueryString, ThreatName, ...).",
        "AdditionalFields" => "Extra details as JSON (parse_json to read them when the column is a string); often empty.",
        "InitiatingProcessSessionId" => "Windows session of the initiating process (0 for services, 1 for the signed-in user).",
        "IsInitiatingProcessRemoteSession" => "True when the initiating process ran in a remote desktop session.",
        "InitiatingProcessRemoteSessionDeviceName" => "For a remote desktop session: the device it came from.",
        "InitiatingProcessRemoteSessionIP" => "For a remote desktop session: the address it came from.",
        "CreatedProcessSessionId" => "Windows session of the new process.",
        "IsProcessRemoteSession" => "True when the new process runs in a remote desktop session.",
        "ProcessRemoteSessionDeviceName" => "For a new process in a remote desktop session: the device it came from.",
        "ProcessRemoteSessionIP" => "For a new process in a remote desktop session: the address it came from.",
        "RemoteIP" => "Address connected to.",
        "RemotePort" => "Port connected to (443 for HTTPS, 53 for DNS, 3478-3481 for Teams media).",
        "RemoteUrl" => "Host name connected to, when the sensor saw one; empty for bare addresses.",
        "LocalIP" => "The device's own address: 10.x in the office, 192.168.x at home.",
        "LocalPort" => "Local port of the connection.",
        "Protocol" => "Tcp or Udp.",
        "LocalIPType" => "Kind of the local address: Private, Public, Loopback and so on.",
        "RemoteIPType" => "Kind of the remote address: Public or Private.",
        "FileOriginUrl" => "For a downloaded file: the URL it came from.",
        "FileOriginReferrerUrl" => "For a downloaded file: the page that linked to it.",
        "FileOriginIP" => "For a downloaded file: the address it came from.",
        "PreviousFolderPath" => "For a rename or move: the folder the file was in before.",
        "PreviousFileName" => "For a rename: the file's old name.",
        "RequestProtocol" => "How the change reached the file: Local, SMB or NFS.",
        "RequestSourceIP" => "For a change over the network: the address of the device that made it.",
        "RequestSourcePort" => "For a change over the network: its source port.",
        "RequestAccountName" => "For a change over the network: the account that made it.",
        "RequestAccountDomain" => "For a change over the network: that account's domain.",
        "RequestAccountSid" => "For a change over the network: that account's SID.",
        "ShareName" => "For a file on a share: the share's name.",
        "SensitivityLabel" => "Information-protection label on the file, if any.",
        "SensitivitySubLabel" => "Sublabel under that label, if any.",
        "IsAzureInfoProtectionApplied" => "True when the file is encrypted by Azure Information Protection.",
        "MachineGroup" => "Device group used for role-based access (Sentinel's copy carries it on every row).",
        "TenantId" => "Identifier of the workspace the event was collected into.",
        "Type" => "Name of the table (Sentinel's column).",
        "SourceSystem" => "Kind of agent that collected the event (empty for Defender data).",
        "TimeGenerated" => "Same as Timestamp; Sentinel's name for it, so Sentinel queries run unchanged.",
        "LogonType" => "Kind of logon: Interactive, CachedInteractive, Unlock, Network, RemoteInteractive, Service, or for identities Credentials validation and Resource access.",
        "FailureReason" => "Why a failed logon failed, e.g. InvalidUserNameOrPassword.",
        "IsLocalAdmin" => "True when the account is a local administrator on the device.",
        "RemoteDeviceName" => "Name of the device the logon or action came from.",
        "RegistryKey" => "Registry key the action was applied to (HKEY_CURRENT_USER keys carry the user's SID).",
        "RegistryValueType" => "Type of the registry value: String, Dword, Binary and so on.",
        "RegistryValueName" => "Name of the registry value.",
        "RegistryValueData" => "Data written to the registry value.",
        "PreviousRegistryKey" => "The key before the change, for a modified value.",
        "PreviousRegistryValueName" => "The value's name before the change.",
        "PreviousRegistryValueData" => "The value's data before the change.",
        other => super::docs_more::column(table, other),
    }
}

/// The columns of a generated endpoint table: Microsoft's advanced-hunting columns, then
/// Sentinel's.
fn device_fields(name: &str) -> Option<Vec<Field>> {
    device_table(name)?;
    let r = super::reference::table(name)?;
    Some(r.columns.iter().chain(r.sentinel).map(|(n, t)| Field::new(*n, DataType::from_name(t).expect("a Kusto type name"))).collect())
}

/// The columns of a built-in table, in order.
pub fn schema(name: &str) -> Option<Vec<Field>> {
    if let Some(f) = device_fields(name) {
        return Some(f);
    }
    table_def(name).map(|(_, cols)| cols.iter().chain(time_generated(cols)).map(|(n, t, _)| Field::new(*n, *t)).collect())
}

/// The columns a mail table's generator writes: its schema without the `TimeGenerated`
/// column `mod.rs` appends.
pub(super) fn rendered_schema(name: &str) -> Option<Vec<Field>> {
    table_def(name).map(|(_, cols)| cols.iter().map(|(n, t, _)| Field::new(*n, *t)).collect())
}

/// `TimeGenerated`, for a mail table that does not list it (Sentinel's copies of the mail
/// tables have it; `mod.rs` appends the column).
fn time_generated(cols: &[Col]) -> Option<&'static Col> {
    const TG: Col = ("TimeGenerated", DateTime, "Same as Timestamp; Sentinel's name for it, so Sentinel queries run unchanged.");
    (!cols.iter().any(|c| c.0 == "TimeGenerated")).then_some(&TG)
}

/// The schema-pane documentation of a built-in table.
pub fn table_doc(name: &str) -> Option<TableDoc> {
    if let (Some(d), Some(fields)) = (device_table(name), device_fields(name)) {
        return Some(TableDoc { description: d.to_string(), columns: fields.iter().map(|f| device_column(name, &f.name).to_string()).collect() });
    }
    table_def(name)
        .map(|(d, cols)| TableDoc { description: d.to_string(), columns: cols.iter().chain(time_generated(cols)).map(|(_, _, c)| c.to_string()).collect() })
}
