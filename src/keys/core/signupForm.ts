// Pure parts of the sign-up flow: local checks before anything is sent, and mapping the
// server's field errors back onto the form's fields.
import * as l10n from '../../core/l10n';

export interface SignUpForm {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
}

export type SignUpField = keyof SignUpForm;

export const SIGNUP_FIELDS: SignUpField[] = ['email', 'password', 'firstName', 'lastName'];

const SERVER_FIELD: Record<string, SignUpField> = {
  email: 'email',
  username: 'email',
  password: 'password',
  first_name: 'firstName',
  last_name: 'lastName',
};

/** A shape check only: one @, something before it, a dotted domain after it, no spaces. */
export function checkEmailShape(value: string): string | undefined {
  const email = value.trim();
  if (email === '') {
    return l10n.t('Enter your email address.');
  }
  if (/\s/.test(email)) {
    return l10n.t('An email address has no spaces.');
  }
  const at = email.lastIndexOf('@');
  if (at < 1 || email.indexOf('@') !== at) {
    return l10n.t('An email address looks like name@example.com.');
  }
  const domain = email.slice(at + 1);
  if (!/^[^.]+(\.[^.]+)+$/.test(domain)) {
    return l10n.t('"{0}" is not a complete domain; an email address looks like name@example.com.', domain || l10n.t('(empty)'));
  }
  if (email.length > 254) {
    return l10n.t('That email address is too long.');
  }
  return undefined;
}

export function checkPasswordLocally(value: string): string | undefined {
  if (value.length === 0) {
    return l10n.t('Choose a password.');
  }
  if (value.length < 8) {
    return l10n.t('The password must contain at least 8 characters.');
  }
  return undefined;
}

/**
 * Maps a 400's errors onto the form. A bare `detail` string about the email (already
 * registered) belongs to the email field; anything unplaceable goes to `general`.
 */
export function fieldErrorsFromServer(
  fieldErrors: Record<string, string[]> | undefined,
  detail: string | undefined,
): { fields: Partial<Record<SignUpField, string>>; general?: string } {
  const fields: Partial<Record<SignUpField, string>> = {};
  const general: string[] = [];
  for (const [name, messages] of Object.entries(fieldErrors ?? {})) {
    const field = SERVER_FIELD[name];
    const text = messages.join(' ');
    if (field) {
      fields[field] = fields[field] ? `${fields[field]} ${text}` : text;
    } else {
      general.push(name === 'non_field_errors' ? text : `${name}: ${text}`);
    }
  }
  if (detail) {
    if (/email/i.test(detail)) {
      fields.email = fields.email ? `${fields.email} ${detail}` : detail;
    } else {
      general.push(detail);
    }
  }
  return { fields, general: general.length ? general.join(' ') : undefined };
}

/** A label for a key made by sign-up: the email address. */
export function labelFromEmail(email: string): string {
  return email.trim();
}
