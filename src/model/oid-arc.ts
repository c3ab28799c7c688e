/** the largest sub-identifier of an OID (RFC 2578: 2^32 - 1), for every reader of numeric OIDs */
export const MAX_ARC = 0xffffffff;
