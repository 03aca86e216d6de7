export * from './device';
export * from './error-payload';
export * from './image';
export * from './job';
export * from './service';
export * from './settings';
export * from './update';
export * from './support';
