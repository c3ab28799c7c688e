export declare const root: string;
export declare function buildIsFresh(): boolean;
