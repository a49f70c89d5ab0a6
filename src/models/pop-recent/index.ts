export { POP_RECENT_CANDIDATE_DAYS, PopRecentConfig } from './config.js';
export { RecentPopularityModel } from './pop-recent.js';
