/** Poll profiles are data: scalars and table columns by numeric OID (or name, once the OID dictionary resolves it). */
export interface ProfileScalar {
  /** field name in the sample */
  name: string;
  oid: string;
}

export interface ProfileColumn {
  name: string;
  oid: string;
  /** a tag labels the row (ifName, ifDescr); a field is a value */
  as: 'tag' | 'field';
}

export interface ProfileTable {
  name: string;
  /** measurement for the rows; defaults to the profile's measurement */
  measurement?: string;
  columns: ProfileColumn[];
  /** tag name under which the decoded row index is stored (default `index`) */
  indexTag?: string;
}

export interface PollProfile {
  name: string;
  measurement: string;
  scalars: ProfileScalar[];
  tables: ProfileTable[];
}
