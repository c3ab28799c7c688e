export declare const root: string;
export declare function buildIsFresh(): boolean;
export declare function bundleIfFresh(command: string, at?: string): string | undefined;
