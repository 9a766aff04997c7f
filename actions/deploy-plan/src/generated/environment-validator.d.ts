// The type of the generated validator (scripts/schema-validator.mjs): Ajv's ValidateFunction shape.
import type { ErrorObject } from 'ajv';

export declare function validate(data: unknown): boolean;
export declare namespace validate {
  let errors: ErrorObject[] | null | undefined;
}
export default validate;
