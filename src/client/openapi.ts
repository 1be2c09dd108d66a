/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
import type { AnnouncementPaths } from './openapi/announcement.js';
import type { CallPaths } from './openapi/call.js';
import type { ConferencePaths } from './openapi/conference.js';
import type { DialplanPaths } from './openapi/dialplan.js';
import type { DialplanCallbackPaths } from './openapi/dialplan-callback.js';
import type { DialplanCallreversePaths } from './openapi/dialplan-callreverse.js';
import type { DialplanCallthroughPaths } from './openapi/dialplan-callthrough.js';
import type { DialplanV2Paths } from './openapi/dialplan-v2.js';
import type { EventPaths } from './openapi/event.js';
import type { FaxPaths } from './openapi/fax.js';
import type { Fax2Paths } from './openapi/fax-2.js';
import type { IvrPaths } from './openapi/ivr.js';
import type { LanguagePaths } from './openapi/language.js';
import type { MwiPaths } from './openapi/mwi.js';
import type { ObjectPaths } from './openapi/object.js';
import type { PartnerCallfilterPaths } from './openapi/partner-callfilter.js';
import type { PartnerCdrPaths } from './openapi/partner-cdr.js';
import type { PartnerEmergencyPaths } from './openapi/partner-emergency.js';
import type { PartnerEnterprisePaths } from './openapi/partner-enterprise.js';
import type { PartnerEnterprise2Paths } from './openapi/partner-enterprise-2.js';
import type { PartnerPhonePaths } from './openapi/partner-phone.js';
import type { PartnerRecoveryPaths } from './openapi/partner-recovery.js';
import type { PartnerUserPaths } from './openapi/partner-user.js';
import type { PartnerUsergroupPaths } from './openapi/partner-usergroup.js';
import type { PartnerUsergroup2Paths } from './openapi/partner-usergroup-2.js';
import type { PartnerUsergroup3Paths } from './openapi/partner-usergroup-3.js';
import type { PasswordPaths } from './openapi/password.js';
import type { PhonePaths } from './openapi/phone.js';
import type { PushPaths } from './openapi/push.js';
import type { RecordingPaths } from './openapi/recording.js';
import type { SessionPaths } from './openapi/session.js';
import type { SignupPaths } from './openapi/signup.js';
import type { SipPaths } from './openapi/sip.js';
import type { StatisticsPaths } from './openapi/statistics.js';
import type { TagPaths } from './openapi/tag.js';
import type { TrashPaths } from './openapi/trash.js';
import type { UsagePaths } from './openapi/usage.js';
import type { UserPaths } from './openapi/user.js';
import type { UserCnamPaths } from './openapi/user-cnam.js';
import type { UserDefaultPaths } from './openapi/user-default.js';
import type { UserDeletePaths } from './openapi/user-delete.js';
import type { UserMetadataPaths } from './openapi/user-metadata.js';
import type { UserPicturePaths } from './openapi/user-picture.js';

/** Every path of the API (the parts in ./openapi/). */
export interface paths
  extends
    AnnouncementPaths,
    CallPaths,
    ConferencePaths,
    DialplanPaths,
    DialplanCallbackPaths,
    DialplanCallreversePaths,
    DialplanCallthroughPaths,
    DialplanV2Paths,
    EventPaths,
    FaxPaths,
    Fax2Paths,
    IvrPaths,
    LanguagePaths,
    MwiPaths,
    ObjectPaths,
    PartnerCallfilterPaths,
    PartnerCdrPaths,
    PartnerEmergencyPaths,
    PartnerEnterprisePaths,
    PartnerEnterprise2Paths,
    PartnerPhonePaths,
    PartnerRecoveryPaths,
    PartnerUserPaths,
    PartnerUsergroupPaths,
    PartnerUsergroup2Paths,
    PartnerUsergroup3Paths,
    PasswordPaths,
    PhonePaths,
    PushPaths,
    RecordingPaths,
    SessionPaths,
    SignupPaths,
    SipPaths,
    StatisticsPaths,
    TagPaths,
    TrashPaths,
    UsagePaths,
    UserPaths,
    UserCnamPaths,
    UserDefaultPaths,
    UserDeletePaths,
    UserMetadataPaths,
    UserPicturePaths {}
export type webhooks = Record<string, never>;
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
