//! Microsoft Sentinel's `SigninLogs`: the same sign-ins as `EntraIdSignInEvents` (one row per
//! event of [`super::sign_in_list`]), in the shape Entra ID streams them to a Log Analytics
//! workspace. Where the advanced-hunting table has flat columns (`ErrorCode`, `Country`,
//! `City`, `Browser`), Sentinel's has strings and dynamic bags: `ResultType` is the error
//! code as text ("0", "50074", "500121", "50126"), `LocationDetails` holds `city`, `state`,
//! `countryOrRegion` and `geoCoordinates`, `DeviceDetail` the device and browser, `Status`
//! the error code and failure reason, and `ConditionalAccessPolicies` the policies applied.
//! Its time columns are `TimeGenerated` and `CreatedDateTime`; there is no `Timestamp`.

use super::{dynamic, s, Ctx, Rows, SignIn, ATTACKER_IP, TENANT_APPS, UA_ATTACKER};
use crate::data::plan::fnv;
use crate::data::rng::{guid, mix2};
use crate::table::Table;
use crate::types::Value;

/// The text Entra ID gives each error code the story uses.
fn result_description(code: i32) -> &'static str {
    match code {
        0 => "",
        50074 => "Strong Authentication is required.",
        500121 => "Authentication failed during strong authentication request.",
        50126 => "Error validating credentials due to invalid username or password.",
        _ => "Other",
    }
}

/// The state or region of the story's cities, as Entra ID's location reports it.
pub(crate) fn state_of(city: &str) -> &'static str {
    match city {
        "Berlin" => "Berlin",
        "Amsterdam" => "Noord-Holland",
        "Vienna" => "Wien",
        "New York" => "New York",
        "Lagos" => "Lagos",
        _ => "",
    }
}

fn risk_level(risk: i32) -> &'static str {
    match risk {
        100.. => "high",
        50.. => "medium",
        10.. => "low",
        _ => "none",
    }
}

/// Renders `SigninLogs` from the sign-ins `EntraIdSignInEvents` is made of.
pub(super) fn signin_logs(cx: &Ctx, list: &[SignIn]) -> Table {
    let mut rows = Rows::new("SigninLogs", &cx.plan.tenant_id);
    let tenant = cx.plan.tenant_id.as_str();
    for e in list {
        let user = &cx.plan.users[e.user];
        let (app, app_id, client) = TENANT_APPS[e.app];
        let attacker = e.agent == UA_ATTACKER;
        let office = e.ip == cx.public_ip(e.user, false);
        let (country, city, lat, lon) = e.place;
        let device = if e.managed { cx.devices[e.user].name.clone() } else { String::new() };
        let device_id = if e.managed { guid(mix2(fnv(&cx.devices[e.user].id), 1)) } else { String::new() };
        let (os, browser) = if attacker { ("Linux", "Chrome 120.0.0") } else { ("Windows10", "Edge 131.0.0") };
        let trust = if e.managed { "Hybrid Azure AD joined" } else { "" };
        let device_detail = format!(
            r#"{{"deviceId":"{device_id}","displayName":"{device}","operatingSystem":"{os}","browser":"{browser}","isCompliant":{m},"isManaged":{m},"trustType":"{trust}"}}"#,
            m = e.managed
        );
        let location = format!(
            r#"{{"city":"{city}","state":"{}","countryOrRegion":"{country}","geoCoordinates":{{"latitude":{lat},"longitude":{lon}}}}}"#,
            state_of(city)
        );
        let status = match e.error {
            0 if e.mfa => r#"{"errorCode":0,"additionalDetails":"MFA completed in Azure AD"}"#.to_string(),
            0 => r#"{"errorCode":0}"#.to_string(),
            500121 => format!(
                r#"{{"errorCode":500121,"failureReason":"{}","additionalDetails":"MFA denied; user declined the authentication"}}"#,
                result_description(500121)
            ),
            code => format!(r#"{{"errorCode":{code},"failureReason":"{}"}}"#, result_description(code)),
        };
        // One policy: MFA outside the offices' trusted networks.
        let (ca_status, ca_result) = match (e.error, e.mfa) {
            (0, true) => ("success", "success"),
            (0, false) => ("notApplied", "notApplied"),
            (50126, _) => ("notApplied", "notApplied"),
            _ => ("failure", "failure"),
        };
        let policies = format!(
            r#"[{{"id":"{}","displayName":"Require MFA outside trusted locations","enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],"result":"{ca_result}"}}]"#,
            guid(mix2(fnv(tenant), 77))
        );
        let network = if office { format!(r#"[{{"networkType":"trustedNamedNetwork","networkNames":["Contoso {city} office"]}}]"#) } else { "[]".to_string() };
        let risk = risk_level(e.risk);
        let risk_events = match (e.risk, e.error) {
            (100.., _) => r#"["unfamiliarFeatures","impossibleTravel"]"#,
            (50.., _) => r#"["unfamiliarFeatures"]"#,
            _ => "[]",
        };
        let asn = if e.ip == ATTACKER_IP {
            "64501"
        } else if office {
            "64500"
        } else if country == "US" {
            "64503"
        } else {
            "64502"
        };
        let request = guid(mix2(e.correlation, 3));
        let mfa_detail = if e.mfa { r#"{"authMethod":"Mobile app notification"}"# } else { "{}" };
        rows.push(
            e.t,
            vec![
                ("AADTenantId", s(tenant)),
                ("AlternateSignInName", s(&user.upn)),
                ("AppDisplayName", s(client)),
                ("AppId", s(app_id)),
                ("AppliedEventListeners", dynamic("[]")),
                ("AuthenticationContextClassReferences", s("[]")),
                ("AuthenticationDetails", s(&authentication_details(e))),
                ("AuthenticationProcessingDetails", s("[]")),
                ("AuthenticationProtocol", s("none")),
                ("AuthenticationRequirement", s(if e.mfa { "multiFactorAuthentication" } else { "singleFactorAuthentication" })),
                ("AuthenticationRequirementPolicies", s(if e.mfa { r#"[{"requirementProvider":"request","detail":"Conditional Access"}]"# } else { "[]" })),
                ("AutonomousSystemNumber", s(asn)),
                ("Category", s("SignInLogs")),
                ("ClientAppUsed", s("Browser")),
                ("ConditionalAccessPolicies", dynamic(&policies)),
                ("ConditionalAccessStatus", s(ca_status)),
                ("CorrelationId", s(&guid(e.correlation))),
                ("CreatedDateTime", Value::DateTime(e.t)),
                ("CrossTenantAccessType", s("none")),
                ("DeviceDetail", dynamic(&device_detail)),
                ("DurationMs", Value::Long(0)),
                ("FlaggedForReview", Value::Bool(false)),
                ("HomeTenantId", s(tenant)),
                ("Id", s(&request)),
                ("Identity", s(&user.display_name())),
                ("IncomingTokenType", s("none")),
                ("IPAddress", s(&e.ip)),
                ("IPAddressFromResourceProvider", s("")),
                ("IsInteractive", Value::Bool(true)),
                ("IsRisky", Value::Bool(e.risk >= 50)),
                ("Level", s("4")),
                ("Location", s(country)),
                ("LocationDetails", dynamic(&location)),
                ("MfaDetail", dynamic(mfa_detail)),
                ("NetworkLocationDetails", s(&network)),
                ("OperationName", s("Sign-in activity")),
                ("OperationVersion", s("1.0")),
                ("OriginalRequestId", s(&request)),
                ("OriginalTransferMethod", s("none")),
                ("ProcessingTimeInMilliseconds", s(&(40 + e.correlation % 160).to_string())),
                ("Resource", s("Microsoft.aadiam")),
                ("ResourceDisplayName", s(app)),
                ("ResourceId", s(app_id)),
                ("ResourceIdentity", s(app_id)),
                ("ResourceProvider", s("Microsoft.aadiam")),
                ("ResourceServicePrincipalId", s(&guid(mix2(fnv(app_id), fnv(tenant))))),
                ("ResourceTenantId", s(tenant)),
                ("ResultDescription", s(result_description(e.error))),
                ("ResultSignature", s("None")),
                ("ResultType", s(&e.error.to_string())),
                ("RiskDetail", s("none")),
                ("RiskEventTypes", s(risk_events)),
                ("RiskEventTypes_V2", s(risk_events)),
                ("RiskLevelAggregated", s(risk)),
                ("RiskLevelDuringSignIn", s(risk)),
                ("RiskState", s(if e.risk >= 50 { "atRisk" } else { "none" })),
                ("SessionId", s(&guid(mix2(e.correlation, 2)))),
                ("SessionLifetimePolicies", s("[]")),
                ("SignInEventTypes", s(r#"["interactiveUser"]"#)),
                ("SignInIdentifier", s(&user.upn)),
                ("SignInIdentifierType", s("userPrincipalName")),
                ("SourceSystem", s("Azure AD")),
                ("Status", dynamic(&status)),
                ("TokenIssuerType", s("AzureAD")),
                ("TokenProtectionStatusDetails", dynamic(r#"{"signInSessionStatus":"unbound","signInSessionStatusCode":1002}"#)),
                ("UniqueTokenIdentifier", s(&format!("{:016x}", mix2(e.correlation, 5)))),
                ("UserAgent", s(e.agent)),
                ("UserDisplayName", s(&user.display_name())),
                ("UserId", s(&user.object_id)),
                ("UserPrincipalName", s(&user.upn)),
                ("UserType", s("Member")),
            ],
        );
    }
    rows.finish(cx.start, cx.clock)
}

/// The steps of the sign-in, as the JSON text Entra ID writes in `AuthenticationDetails`.
fn authentication_details(e: &SignIn) -> String {
    let password = match e.error {
        50126 => r#"{"authenticationMethod":"Password","succeeded":false,"authenticationStepResultDetail":"Invalid username or password"}"#,
        _ => r#"{"authenticationMethod":"Password","succeeded":true,"authenticationStepResultDetail":"Correct password"}"#,
    };
    let second = match (e.error, e.mfa) {
        (50074, _) => r#",{"authenticationMethod":"Mobile app notification","succeeded":false,"authenticationStepResultDetail":"MFA required"}"#,
        (500121, _) => {
            r#",{"authenticationMethod":"Mobile app notification","succeeded":false,"authenticationStepResultDetail":"MFA denied; user declined the authentication"}"#
        }
        (0, true) => r#",{"authenticationMethod":"Mobile app notification","succeeded":true,"authenticationStepResultDetail":"MFA completed in Azure AD"}"#,
        _ => "",
    };
    format!("[{password}{second}]")
}

/// What each `SigninLogs` column holds, for the schema pane.
pub(crate) fn column_doc(col: &str) -> &'static str {
    match col {
        "AADTenantId" | "TenantId" | "HomeTenantId" | "ResourceTenantId" => "Identifier of the Entra ID tenant (Contoso's).",
        "AlternateSignInName" | "SignInIdentifier" => "What the user typed to sign in (here their UPN).",
        "AppDisplayName" => "The client application that signed in, e.g. Microsoft Outlook, Microsoft Teams.",
        "AppId" => "Identifier of that application.",
        "AppliedConditionalAccessPolicies" => "Older copy of the applied policies; empty here (see ConditionalAccessPolicies).",
        "AppliedEventListeners" => "Listeners (Logic Apps, Functions) the sign-in triggered; an empty array here.",
        "AuthenticationContextClassReferences" => "Conditional Access authentication contexts; an empty array here.",
        "AuthenticationDetails" => "Each step of the sign-in (password, then the MFA prompt) and whether it succeeded, as JSON text.",
        "AuthenticationMethodsUsed" => "Methods used to authenticate; empty here (see AuthenticationDetails).",
        "AuthenticationProcessingDetails" => "Details of how the authentication was processed, as JSON text.",
        "AuthenticationProtocol" => "Protocol or grant type: none for an ordinary browser sign-in.",
        "AuthenticationRequirement" => "multiFactorAuthentication when MFA was required, else singleFactorAuthentication.",
        "AuthenticationRequirementPolicies" => "Where the MFA requirement came from (Conditional Access here), as JSON text.",
        "AutonomousSystemNumber" => "Autonomous system of the address (synthetic numbers from the documentation range).",
        "Category" => "Always SignInLogs (the diagnostic category).",
        "ClientAppUsed" => "Kind of client: Browser, Mobile Apps and Desktop clients, Exchange ActiveSync, ...",
        "ConditionalAccessPolicies" => "The Conditional Access policies evaluated, a dynamic array of {id, displayName, result, enforcedGrantControls}.",
        "ConditionalAccessStatus" => "success, failure or notApplied.",
        "CorrelationId" => "Identifier shared by the requests of one sign-in attempt.",
        "CreatedDateTime" => "When the sign-in happened (UTC); the same as TimeGenerated here.",
        "CrossTenantAccessType" => "Whether the sign-in crossed tenants: none here.",
        "DeviceDetail" => "The device: a dynamic bag with deviceId, displayName, operatingSystem, browser, isCompliant, isManaged, trustType.",
        "DurationMs" => "Duration of the operation in milliseconds (0 for sign-ins).",
        "FlaggedForReview" => "Whether an admin flagged the sign-in for review.",
        "Id" | "OriginalRequestId" => "Identifier of this sign-in request.",
        "Identity" | "UserDisplayName" => "Display name of the user, e.g. Emma Vargas.",
        "IncomingTokenType" => "Kind of token presented: none for a fresh sign-in.",
        "IPAddress" => "Public address the sign-in came from.",
        "IPAddressFromResourceProvider" => "The address the resource (e.g. Exchange Online) saw the user come from; usually empty.",
        "Resource" | "ResourceProvider" => "The Azure resource provider that logged the record: Microsoft.aadiam.",
        "IsInteractive" => "True for interactive sign-ins (the only kind in this table).",
        "IsRisky" => "True when Identity Protection judged the sign-in risky.",
        "Level" => "Severity level of the record (4, informational).",
        "Location" => "Two-letter country of the address.",
        "LocationDetails" => "Where the address is: a dynamic bag with city, state, countryOrRegion and geoCoordinates {latitude, longitude}.",
        "MfaDetail" => "The MFA method used, a dynamic bag with authMethod; empty when there was no MFA.",
        "NetworkLocationDetails" => "Named networks the address belongs to (trustedNamedNetwork for Contoso's offices), as JSON text.",
        "OperationName" => "Always 'Sign-in activity'.",
        "OperationVersion" => "Version of the API that recorded it.",
        "OriginalTransferMethod" => "Transfer method of the original request: none here.",
        "ProcessingTimeInMilliseconds" => "How long Entra ID took to process the request.",
        "ResourceDisplayName" => "The service signed in to, e.g. Office 365 Exchange Online.",
        "ResourceId" | "ResourceIdentity" => "Identifier of that service.",
        "ResourceGroup" => "Azure resource group; empty for Entra ID sign-ins.",
        "ResourceServicePrincipalId" => "Service principal of the resource in the tenant.",
        "ResultDescription" => "What the error code means, e.g. 'Strong Authentication is required.'; empty on success.",
        "ResultSignature" => "Always None.",
        "ResultType" => "The error code as text: \"0\" success, \"50126\" wrong password, \"50074\" MFA required, \"500121\" MFA denied or failed.",
        "RiskDetail" => "Why the risk state changed: none here.",
        "RiskEventTypes" | "RiskEventTypes_V2" => "Risk detections on the sign-in, as JSON text: unfamiliarFeatures, impossibleTravel, ...",
        "RiskLevel" => "Older risk column; empty here.",
        "RiskLevelAggregated" => "Aggregated risk: none, low, medium or high.",
        "RiskLevelDuringSignIn" => "Risk at the time of the sign-in: none, low, medium or high.",
        "RiskState" => "none, atRisk, confirmedCompromised, remediated, dismissed, ...",
        "ServicePrincipalId" | "ServicePrincipalName" => "For a service principal's sign-in; empty for users.",
        "SessionId" => "Identifier of the session the sign-in belongs to.",
        "SessionLifetimePolicies" => "Session lifetime policies applied, as JSON text.",
        "SignInEventTypes" => "Kinds of sign-in, as JSON text: interactiveUser.",
        "SignInIdentifierType" => "Kind of identifier typed: userPrincipalName.",
        "SourceSystem" => "Where the record came from: Azure AD.",
        "Status" => "The outcome: a dynamic bag with errorCode, failureReason and additionalDetails.",
        "TimeGenerated" => "When the sign-in happened (UTC). SigninLogs has no Timestamp column.",
        "TokenIssuerName" => "Name of the identity provider, for federated sign-ins; empty here.",
        "TokenIssuerType" => "Kind of identity provider: AzureAD.",
        "TokenProtectionStatusDetails" => "Whether the session was bound to the device (token protection), dynamic.",
        "Type" => "Always SigninLogs.",
        "UniqueTokenIdentifier" => "Identifier of the token issued.",
        "UserAgent" => "User agent of the browser.",
        "UserId" => "Entra object id of the user; joins to IdentityInfo.AccountObjectId.",
        "UserPrincipalName" => "The user's sign-in name, e.g. emma.vargas@contoso.com.",
        "UserType" => "Member or Guest.",
        _ => "",
    }
}

/// The schema pane's description of the table.
pub(crate) const DESCRIPTION: &str = "Microsoft Sentinel's copy of Entra ID's interactive sign-ins: the same sign-ins as \
     EntraIdSignInEvents in the shape Sentinel queries expect. ResultType is the error code as text \
     (\"0\" success, \"50126\" wrong password, \"50074\" MFA required, \"500121\" MFA denied); where it came \
     from is in LocationDetails (a dynamic bag: LocationDetails.countryOrRegion, .city), the device in \
     DeviceDetail and the outcome in Status. Filter on TimeGenerated.";
