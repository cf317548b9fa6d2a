import * as assert from 'node:assert/strict';
import { checkEmailShape, fieldErrorsFromServer } from '../../../../src/keys/core/signupForm';

describe('sign-up form', () => {
  it('checks the email shape before sending', () => {
    assert.equal(checkEmailShape('dev@acme.com'), undefined);
    assert.equal(checkEmailShape('josé@exämple.com'), undefined);
    assert.ok(checkEmailShape('dev@acme'));
    assert.ok(checkEmailShape('dev.acme.com'));
    assert.ok(checkEmailShape('dev @acme.com'));
  });
  it('puts "Email already registered." on the email field and field lists on their fields', () => {
    assert.deepEqual(fieldErrorsFromServer(undefined, 'Email already registered.').fields, { email: 'Email already registered.' });
    assert.deepEqual(fieldErrorsFromServer({ password: ['Too short.'], first_name: ['Too long.'] }, undefined).fields, {
      password: 'Too short.',
      firstName: 'Too long.',
    });
    assert.equal(fieldErrorsFromServer({ non_field_errors: ['Try later.'] }, undefined).general, 'Try later.');
  });
});
