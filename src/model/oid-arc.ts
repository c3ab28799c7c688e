/** the largest sub-identifier of an OID (RFC 2578: 2^32 - 1), for every reader of numeric OIDs */
export const MAX_ARC = 0xffffffff;

/** RFC 2578: an OID has at most 128 sub-identifiers (the MIB compiler refuses longer ones; the varbind fast path hands them to the checked decoder) */
export const MAX_SUB_IDS = 128;
