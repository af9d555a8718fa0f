/**
 * Every county of the mainland keeps Beijing time, UTC+8 all year. Its own module, free of
 * schemas, so the wall's bundle can import it without pulling in TypeBox.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
