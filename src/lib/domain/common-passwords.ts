/**
 * Passwords that appear at the top of leaked-password lists, in China and
 * elsewhere, at 8 characters or more. Refused at sign-up and setup.
 */
export const COMMON_PASSWORDS = new Set([
	'12345678', '123456789', '1234567890', '87654321', '11111111', '00000000', '88888888', '66666666', '12341234',
	'11223344', '12121212', '123123123', '147258369', '123456abc', 'a12345678', 'a123456789', 'abc12345', 'abcd1234',
	'abc123456', 'aa123456', 'qq123456', 'password', 'password1', 'password123', 'passw0rd', 'p@ssw0rd', 'qwertyui',
	'qwerty123', 'qwertyuiop', '1qaz2wsx', 'zxcvbnm123', 'asdfghjkl', 'iloveyou', 'woaini1314', 'woaini520',
	'5201314520', '1314520520', 'admin123', 'admin888', 'administrator', 'welcome1', 'sunshine', 'princess',
	'football', 'baseball', 'superman', 'trustno1', 'letmein1', 'dragon123', 'monkey123', '1q2w3e4r', '1q2w3e4r5t',
	'zaq12wsx', 'qazwsxedc', 'q1w2e3r4', 'aaaaaaaa', 'abcdefgh', 'linyi123', 'linyi2026', '11112222', '99999999',
	'12344321', '147258369', '789456123', '741852963', '159357123', 'qwer1234', 'asdf1234', 'zxcv1234'
]);

export function isCommonPassword(password: string): boolean {
	return COMMON_PASSWORDS.has(password.toLowerCase());
}
