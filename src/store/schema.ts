import type { ColumnType, Generated } from 'kysely';

/** JSON columns: written as JSON text (both drivers), read back parsed. */
export type Json = ColumnType<unknown, string, string>;

export interface PartnersTable {
  id: string;
  name: string;
  key_hash: string;
  /** Partner right: may assign phone numbers to its users (spec 9.1.2). */
  phone_control: Generated<boolean>;
  created_us: number;
}

export interface SystemTags {
  tag_all: string;
  tag_unread: string;
  tag_inbox: string;
  tag_outbox: string;
  tag_trash: string;
  tag_shared: string;
  share_read: string;
  share_write: string;
  share_propagate: string;
}

export interface UsersTable {
  uuid: string;
  username: string;
  email: string | null;
  password_hash: string | null;
  firstname: string;
  lastname: string;
  display_name: string;
  birthday: string | null;
  zip_code: string | null;
  town: string | null;
  street: string | null;
  house_number: string | null;
  country: string | null;
  country_code: string;
  area_code: string | null;
  language: string;
  newsletter: boolean;
  pin: string | null;
  fax_ident: string | null;
  fax_header: string | null;
  partner_id: string | null;
  disabled: Generated<boolean>;
  deleted: Generated<boolean>;
  ignore_ip_whitelisting: Generated<boolean>;
  feature_packs: ColumnType<string[], string, string>;
  picture: Generated<boolean>;
  pending_email: string | null;
  pending_email_code: string | null;
  system_tags: ColumnType<SystemTags, string, string>;
  usergroup: string | null;
  created_us: number;
  /** Special permissions (spec 13.1): 'statistics', 'mwi'. */
  permissions: ColumnType<string[], string | undefined, string>;
  /** Admin override of the area code (callplane admin user set-area); wins over area_code. */
  area_override: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface UserMetadataTable {
  user_uuid: string;
  key: string;
  value: Json;
}

export interface TagsTable {
  uuid: string;
  owner: string;
  label: string;
  foreign_use: boolean;
  /** 'user' for tags made with POST /api/tag, otherwise the system tag's name. */
  kind: string;
  created_us: number;
}

export interface TagPoliciesTable {
  tag_uuid: string;
  user_uuid: string;
  level: number;
}

export interface ObjectsTable {
  uuid: string;
  type: string;
  owner: string;
  created_us: number;
  description: string | null;
  /** Type-specific fields (page_count, from, to, active, pin ...). */
  data: ColumnType<Record<string, unknown>, string, string>;
  search_text: string;
  size_bytes: Generated<number>;
}

export interface ObjectTagsTable {
  object_uuid: string;
  tag_uuid: string;
}

export interface ObjectMetadataTable {
  object_uuid: string;
  key: string;
  value: Json;
}

export interface SignupVerificationsTable {
  key: string;
  partner_id: string | null;
  user_uuid: string;
  email: string | null;
  info: Json;
  expires_us: number;
}

export interface PasswordRecoveriesTable {
  user_uuid: string;
  code_hash: string;
  expires_us: number;
}

export interface Database {
  partners: PartnersTable;
  users: UsersTable;
  user_metadata: UserMetadataTable;
  tags: TagsTable;
  tag_policies: TagPoliciesTable;
  objects: ObjectsTable;
  object_tags: ObjectTagsTable;
  object_metadata: ObjectMetadataTable;
  signup_verifications: SignupVerificationsTable;
  password_recoveries: PasswordRecoveriesTable;
  fax_reports: FaxReportsTable;
  fax_files: FaxFilesTable;
  call_filters: CallFiltersTable;
  emergency_entries: EmergencyEntriesTable;
  enterprises: EnterprisesTable;
  usergroups: UsergroupsTable;
  usergroup_members: UsergroupMembersTable;
  usergroup_extensions: UsergroupExtensionsTable;
  usergroup_limits: UsergroupLimitsTable;
  zone_filters: ZoneFiltersTable;
  user_cnam: UserCnamTable;
  usergroup_cnam: UsergroupCnamTable;
  enterprise_cnam: EnterpriseCnamTable;
  phones: PhonesTable;
  number_pool: NumberPoolTable;
  dialplans_v1: DialplansV1Table;
  sip_accounts: SipAccountsTable;
  sip_blf: SipBlfTable;
  dialplans_v2: DialplansV2Table;
  ivrs: IvrsTable;
  cdrs: CdrsTable;
  event_outbox: EventOutboxTable;
  push_devices: PushDevicesTable;
  usage_totals: UsageTotalsTable;
  usage_peaks: UsagePeaksTable;
  address_areas: AddressAreasTable;
  call_api_calls: CallApiCallsTable;
  phone_mwi: PhoneMwiTable;
}

/** Events of committed changes not yet published (events/outbox.ts); time in seconds. */
export interface EventOutboxTable {
  id: Generated<number>;
  token: string;
  audience: Json;
  event: string;
  payload: Json;
  time: number;
  created_us: number;
}

/** One send/receive attempt of a fax (spec 3.13 `report`); times in seconds. */
export interface FaxReportsTable {
  uuid: string;
  fax_uuid: string;
  incoming: boolean;
  from: string;
  to: string;
  time_start: number;
  time_end: number | null;
  status: string;
  sip_status_code: number | null;
  fax_error_code: number | null;
  fax_ident: string | null;
  fax_header: string | null;
  /** Pages sent or received. */
  pages: number | null;
  created_us: number;
  /** Migration 013: the far end's CSI (send) or TSI (receive). */
  remote_ident: string | null;
  /** Pages of the document being sent. */
  page_count: number | null;
  bit_rate: number | null;
  ecm: boolean | null;
  /** 'audio' (G.711) or 't38'. */
  transport: string | null;
  duration_ms: number | null;
  attempts: Json;
}

/** Where a fax's current files live (`content` folder) and which upload awaits conversion. */
export interface FaxFilesTable {
  fax_uuid: string;
  content: string | null;
  upload: string | null;
}

/** A user's call filter (spec 9.1.3), the `callfilter` value as the partner sent it. */
export interface CallFiltersTable {
  user_uuid: string;
  filter: Json;
  modified_us: number;
}

/** Emergency-call data of a user (spec 9.1.5); null fields are unset. */
export interface EmergencyEntriesTable {
  user_uuid: string;
  uui_header: string | null;
  emergency_police: string | null;
  emergency_rescue: string | null;
}

/** spec 9.1.7 */
export interface EnterprisesTable {
  uuid: string;
  partner_id: string;
  description: Generated<string>;
  group_prefix_enable: Generated<boolean>;
  created_us: number;
}

/** spec 9.1.6; `prefix` 1-9 or null, `enterprise_uuid` the one enterprise it joined. */
export interface UsergroupsTable {
  uuid: string;
  partner_id: string;
  description: Generated<string>;
  prefix: number | null;
  enterprise_uuid: string | null;
  created_us: number;
}

/** A user is in at most one usergroup (primary key user_uuid). */
export interface UsergroupMembersTable {
  user_uuid: string;
  usergroup_uuid: string;
  added_us: number;
}

/** Internal extension (`^[0-9]{1,5}$`) of a usergroup -> member user (spec 9.1.6). */
export interface UsergroupExtensionsTable {
  usergroup_uuid: string;
  extension: string;
  user_uuid: string;
}

/** Concurrent call limit of a usergroup (spec 9.1.6). */
export interface UsergroupLimitsTable {
  usergroup_uuid: string;
  call_limit: number;
}

/** Zone filter entries of a usergroup (spec 9.1.6). */
export interface ZoneFiltersTable {
  usergroup_uuid: string;
  entries: Json;
}

/** Calling names (spec 10): phone (E.164) -> name, per user, usergroup and enterprise. */
export interface UserCnamTable {
  user_uuid: string;
  phone: string;
  name: string;
}
export interface UsergroupCnamTable {
  usergroup_uuid: string;
  phone: string;
  name: string;
}
export interface EnterpriseCnamTable {
  enterprise_uuid: string;
  phone: string;
  name: string;
}

/** A user's phone number and its routing flags (spec 3.9, 9.1.2). */
export interface PhonesTable {
  number: string;
  user_uuid: string;
  partner_id: string | null;
  dialplan_enable: Generated<boolean>;
  call_enable: Generated<boolean>;
  fax_enable: Generated<boolean>;
  recording_enable: Generated<boolean>;
  conference_enable: Generated<boolean>;
  play_announcement_only: Generated<boolean>;
  notification_email: Generated<boolean>;
  notification_attachment: Generated<boolean>;
  announcement: string | null;
  ivr: string | null;
  dialplan: string | null;
  on_hold_music: string | null;
  p_asserted_identity: string | null;
  unlock_code: string | null;
  created_us: number;
}

/** The MWI URI of a phone number (spec 13.1.2), where its message-summary NOTIFYs go. */
export interface PhoneMwiTable {
  number: string;
  uri: string;
  modified_us: number;
}

/** Free numbers per area code (spec 3.9 `create`). */
export interface NumberPoolTable {
  number: string;
  area_code: string;
}

/** A user's dialplan v1 document (spec 4.2). */
export interface DialplansV1Table {
  user_uuid: string;
  data: Json;
  modified_us: number;
}

/** A SIP account (spec 3.21): no plain password; it is kept encrypted, hashed and as digest HA1 per realm. */
export interface SipAccountsTable {
  name: string;
  owner: string;
  domain: string;
  description: string | null;
  password_hash: string;
  /** The password AES-256-GCM encrypted with the configured key (`v1:iv:tag:data`, src/lib/secret-box.ts). */
  password_enc: string;
  /** `{ "<realm>": { "md5": hex, "sha256": hex } }` for every configured domain. */
  ha1: Json;
  created_us: number;
}

/** A busy lamp field subscription (spec 3.21 blf): SIP account -> watched number (E.164 with +). */
export interface SipBlfTable {
  sip_name: string;
  number: string;
  created_us: number;
}

/** A dialplan v2 (spec 4.1), its JSON text exactly as sent. */
export interface DialplansV2Table {
  uuid: string;
  owner: string;
  json: string;
  created_us: number;
}

/** An IVR (spec 5.1), its JSON text exactly as sent. */
export interface IvrsTable {
  uuid: string;
  owner: string;
  json: string;
  created_us: number;
}

/** A call detail record (spec 9.1.4); null columns are absent fields on the wire. */
export interface CdrsTable {
  id: string;
  /** The partner of the user when the call was made (no foreign key: billing history). */
  partner_id: string | null;
  user_id: string | null;
  /** The number or SIP account the CDR is filed under. */
  phone: string;
  date_ms: number;
  service: string;
  a_number: string | null;
  b_number: string | null;
  parent: string | null;
  root: string | null;
  t_pre: number;
  t_post: number;
  fax_id: string | null;
  recording_id: string | null;
  conference_id: string | null;
  page_count: number | null;
  /** Q.850 end cause (internal). */
  q850: number;
  published: Generated<boolean>;
  created_us: number;
  /** Credits billed for the call (zone filter), 0 when free or unknown. */
  cost: Generated<number>;
}

/** A device registered for push events (spec 8.1); see 011-push.ts. */
export interface PushDevicesTable {
  system: 'gcm' | 'apns';
  token: string;
  user_id: string;
  application_id: string | null;
  sandbox: Generated<boolean>;
  apns_topic: string | null;
  registered_ms: ColumnType<number, number, number>;
}

/** Counters of one user in one period (a UTC day or month); see 012-usage.ts. */
export interface UsageTotalsTable {
  /** `YYYY-MM-DD` or `YYYY-MM`. */
  period: string;
  /** '' when the CDR had none. */
  partner_id: string;
  user_id: string;
  calls_in: number;
  calls_out: number;
  seconds_in: number;
  seconds_out: number;
  cost: number;
  faxes_in: number;
  faxes_out: number;
  pages_in: number;
  pages_out: number;
  recordings: number;
}

/** Maxima per period and scope ('' system, `p:<partner>`, `u:<user>`). */
export interface UsagePeaksTable {
  period: string;
  scope: string;
  registrations: number;
  calls: number;
}

/** Address directory: a town of a zip code and its area code (spec 3.5); see 012-usage.ts. */
export interface AddressAreasTable {
  country: string;
  zip_code: string;
  /** domain/address.ts townKey(town) */
  town_key: string;
  town: string;
  area_code: string;
}

/** A finished call-API call (spec 3.24): its last view as GET /api/call lists it. */
export interface CallApiCallsTable {
  uuid: string;
  owner: string;
  /** Seconds since epoch. */
  create_time: number;
  view: Json;
  stored_us: number;
}
