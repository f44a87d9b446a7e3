// Types for scripts/lib/image-folder.mjs (imported by the TypeScript E2E tests).
export declare const REPO: string;
export declare const EVERYDAY: string[];
export declare const GAME_ICONS: string[];
export declare const UI_ICONS: string[];
export declare const E2E_SET: [string, string, string][];
export declare function hasIcon(prefix: string, name: string): boolean;
export declare function iconNames(prefix: string): string[];
export declare function iconSvg(prefix: string, name: string, size?: number): string;
export declare function writeIcon(file: string, prefix: string, name: string, size?: number): Promise<void>;
export declare function makeDemoFolder(dest: string): Promise<number>;
export declare function makeE2eFolder(dest: string, set?: [string, string, string][]): Promise<number>;
