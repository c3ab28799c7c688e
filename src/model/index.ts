export * from './credentials.ts';
export * from './device.ts';
export * from './profile.ts';
export * from './sample.ts';
export * from './duration.ts';
export * from './schema.ts';
