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
}
