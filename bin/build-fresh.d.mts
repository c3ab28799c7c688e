export declare const root: string;
export declare function buildIsFresh(): boolean;
export declare function bundleIfFresh(command: string, at?: string): string | undefined;
export declare function launcherNodeFlags(mibCompile?: boolean): string[];
export declare function mibSnapshotIsCurrent(at?: string): boolean;
