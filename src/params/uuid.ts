import type { ParamMatcher } from '@sveltejs/kit';

import { UUID } from '$lib/domain/patterns';

export const match: ParamMatcher = (param) => UUID.test(param);
