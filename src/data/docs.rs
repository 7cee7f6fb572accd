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
        ("ActionType", String, "What Safe Links did: ClickAllowed, ClickBlocked, ClickBlockedByTenantPolicy (an admin block-list entry), UrlScanInProgress or UrlErrorPage."),
        ("AccountUpn", String, "User principal name (sign-in address) of the person who clicked."),
        ("Workload", String, "Where the link was clicked: Email, Teams or Office."),
        ("NetworkMessageId", String, "Identifier of the e-mail the link came from; joins to the Email* tables. Empty for Teams and Office clicks."),
        ("ThreatTypes", String, "Verdict on the link at click time, such as Phish or Malware; empty when nothing was found."),
        ("DetectionMethods", String, "Which detection technology produced the verdict; empty when there is no threat."),
        ("IPAddress", String, "Public IP address of the device the click came from."),
        ("IsClickedThrough", Bool, "True when the user chose to continue past the Safe Links warning page."),
        ("UrlChain", String, "For links that redirect: every URL of the redirect chain, as a JSON array. Empty otherwise."),
        ("ReportId", String, "Identifier of the click. The warning-page event and the click-through that follows it share one ReportId, so use it to count clicks."),
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
        (
            "UrlLocation",
            String,
            "Part of the message the link was found in, such as Body, Subject, Attachment or QRCode.",
        ),
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
        (
            "ActionTrigger",
            String,
            "Who started it: SpecialAction for automatic mechanisms such as ZAP, AdminAction for administrators.",
        ),
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

/// The columns of a built-in table, in order.
pub fn schema(name: &str) -> Option<Vec<Field>> {
    table_def(name).map(|(_, cols)| cols.iter().map(|(n, t, _)| Field::new(*n, *t)).collect())
}

/// The schema-pane documentation of a built-in table.
pub fn table_doc(name: &str) -> Option<TableDoc> {
    table_def(name).map(|(d, cols)| TableDoc {
        description: d.to_string(),
        columns: cols.iter().map(|(_, _, c)| c.to_string()).collect(),
    })
}
