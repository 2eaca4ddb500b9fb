//! Human explanations of WeChat errcodes: what happened and what to do, in English and
//! Simplified Chinese. Covers reference mp §2.3–2.4 (with the legacy 614xx codes) and the
//! generic WeCom codes of the WeCom reference §15.2. `{ip}` is filled from WeChat's errmsg.

use super::error::Platform;

/// One errcode's explanation.
#[derive(Debug)]
pub struct Entry {
    pub code: i64,
    /// `None`: the same meaning on both platforms.
    pub platform: Option<Platform>,
    pub en: &'static str,
    pub en_fix: &'static str,
    pub zh: &'static str,
    pub zh_fix: &'static str,
}

const MP: Option<Platform> = Some(Platform::Mp);
const WC: Option<Platform> = Some(Platform::Wecom);
const ANY: Option<Platform> = None;

macro_rules! e {
    ($code:expr, $p:expr, $en:expr, $en_fix:expr, $zh:expr, $zh_fix:expr) => {
        Entry { code: $code, platform: $p, en: $en, en_fix: $en_fix, zh: $zh, zh_fix: $zh_fix }
    };
}

/// The catalogue. Platform-specific entries come before the shared ones.
pub static ENTRIES: &[Entry] = &[
    // ---- shared / global ----
    e!(-1, ANY, "WeChat is busy right now (system error).", "Wait a moment and try again; KefuDesk already retried reads automatically.",
       "微信服务器繁忙（系统错误）。", "请稍候再试；查询类操作 KefuDesk 已自动重试过。"),
    e!(40002, ANY, "The token request used an invalid grant_type.", "This is a client bug; please report it.",
       "获取令牌时 grant_type 不合法。", "这是客户端缺陷，请反馈给我们。"),
    e!(40005, MP, "WeChat rejected the file type.", "Avatars must be JPEG images (.jpg); choose a JPG or PNG and KefuDesk converts it.",
       "微信不接受该文件类型。", "头像必须是 JPEG（.jpg）图片；请选择 JPG 或 PNG，KefuDesk 会自动转换。"),
    e!(40007, ANY, "The media_id is invalid or has expired.", "Upload the file again and use the new media_id (temporary media expire after 3 days).",
       "media_id 无效或已过期。", "请重新上传文件并使用新的 media_id（临时素材 3 天后过期）。"),
    e!(40008, MP, "WeChat does not know this message type.", "Send text, image, voice, video, music, news or a menu message.",
       "不支持的消息类型。", "请发送文本、图片、语音、视频、音乐、图文或菜单消息。"),
    e!(40009, MP, "The image is too large.", "Use an image under 5 MB; KefuDesk resizes avatars to 640×640 for you.",
       "图片文件过大。", "请使用小于 5 MB 的图片；KefuDesk 会把头像缩放为 640×640。"),
    e!(40013, MP, "WeChat does not recognise this AppID.", "Check the AppID in Settings; it starts with \"wx\" and is shown in the MP console under 设置与开发 → 基本配置.",
       "AppID 无效。", "请在设置中检查 AppID（以 wx 开头，可在公众平台「设置与开发 → 基本配置」中查看）。"),
    e!(40013, WC, "WeChat does not recognise this CorpID.", "Check the CorpID in Settings (WeCom admin console → 我的企业 → 企业ID).",
       "CorpID 无效。", "请在设置中检查企业 ID（企业微信管理后台 → 我的企业 → 企业ID）。"),
    e!(40014, ANY, "The access token is malformed.", "KefuDesk fetched a new token and it was still rejected; if you use a token relay, check what it returns.",
       "access_token 格式不合法。", "KefuDesk 已重新获取令牌但仍被拒绝；如使用令牌中继，请检查其返回值。"),
    e!(40066, MP, "WeChat does not know this API address (invalid url).", "If you set an API gateway in Settings, check that it forwards paths unchanged.",
       "接口地址无效（invalid url）。", "如在设置中配置了 API 网关，请确认其原样转发路径。"),
    e!(40097, MP, "WeChat rejected the request's arguments.", "Check the values you entered and try again.",
       "请求参数不合法。", "请检查填写的内容后重试。"),
    e!(40125, MP, "The AppSecret is wrong.", "Copy the AppSecret again from the MP console (设置与开发 → 基本配置) or reset it there, then save it in Settings.",
       "AppSecret 错误。", "请在公众平台「设置与开发 → 基本配置」中重新复制或重置 AppSecret，并在设置中保存。"),
    e!(40164, MP, "This computer's IP address {ip} is not in the Official Account's IP whitelist.", "Add {ip} in the MP console under 设置与开发 → 基本配置 → IP白名单, or use a company token relay.",
       "本机 IP {ip} 不在公众号的 IP 白名单中。", "请在公众平台「设置与开发 → 基本配置 → IP白名单」中添加 {ip}，或使用公司的令牌中继。"),
    e!(40200, MP, "This account type cannot use this feature (e.g. a test account).", "Use a verified Official Account for menus and typing indicators.",
       "当前账号类型不支持此功能（例如测试号）。", "菜单消息和「正在输入」需要已认证的公众号。"),
    e!(40243, MP, "The AppSecret has been frozen.", "Log in to the MP console and unfreeze the AppSecret, then try again.",
       "AppSecret 已被冻结。", "请登录公众平台解冻 AppSecret 后重试。"),
    e!(41001, ANY, "The request carried no access token.", "This is a client or gateway bug: the gateway may be dropping the query string.",
       "请求缺少 access_token。", "这是客户端或网关的问题：网关可能丢弃了查询参数。"),
    e!(41002, ANY, "The AppID is missing.", "Enter the AppID in Settings.", "缺少 AppID。", "请在设置中填写 AppID。"),
    e!(41004, ANY, "The AppSecret is missing.", "Enter the AppSecret in Settings.", "缺少 AppSecret。", "请在设置中填写 AppSecret。"),
    e!(41005, MP, "The upload contained no file.", "Choose the image again and retry.", "上传内容中没有文件。", "请重新选择图片后重试。"),
    e!(42001, ANY, "The access token has expired.", "KefuDesk renewed it and retried once; try again.",
       "access_token 已过期。", "KefuDesk 已自动续期并重试一次，请再试一次。"),
    e!(43002, ANY, "WeChat expects a POST request here.", "This is a client bug; please report it.",
       "该接口需要 POST 请求。", "这是客户端缺陷，请反馈给我们。"),
    e!(43004, MP, "The customer no longer follows the Official Account.", "Messages can only be sent to followers.",
       "该用户未关注公众号。", "只能给关注公众号的用户发送消息。"),
    e!(43019, MP, "The customer is on the Official Account's blacklist.", "Remove them from the blacklist in the MP console first.",
       "该用户在公众号黑名单中。", "请先在公众平台将其移出黑名单。"),
    e!(44002, ANY, "The request body was empty.", "This is a client bug; please report it.", "请求内容为空。", "这是客户端缺陷，请反馈给我们。"),
    e!(45002, ANY, "The message is too long.", "Shorten the text (at most about 2 000 characters) and send again.",
       "消息内容过长。", "请缩短文字（约 2000 字以内）后重新发送。"),
    e!(45008, MP, "A news message may contain only one article.", "Send one article per message.",
       "图文消息只能包含一篇文章。", "请每条消息只发送一篇文章。"),
    e!(45009, MP, "The daily API quota of this Official Account is used up.", "Try again tomorrow (quotas reset at midnight Beijing time), or clear the quota in the MP console (开发 → 接口权限).",
       "公众号今日接口调用次数已用完。", "请明天再试（北京时间零点重置），或在公众平台「开发 → 接口权限」中清零额度。"),
    e!(45009, WC, "WeCom limited the call frequency.", "Wait a minute before trying again; repeated wrong secrets can block this IP for an hour.",
       "接口调用频率超过限制。", "请一分钟后再试；多次使用错误的 secret 会导致该 IP 被封禁 1 小时。"),
    e!(45011, ANY, "Too many calls this minute.", "Wait until the next minute, then try again.",
       "本分钟内调用过于频繁。", "请等到下一分钟再试。"),
    e!(45015, MP, "The customer has not written within the last 48 hours (or has unfollowed), so WeChat does not allow a message now.", "Wait until the customer writes again; after each customer message you may reply for 48 hours.",
       "用户超过 48 小时未互动（或已取消关注），微信不允许现在发送消息。", "请等待用户再次发消息；用户每次发消息后 48 小时内可回复。"),
    e!(45047, MP, "The 5 replies allowed since the customer's last message are used up.", "Wait for the customer to write again; each customer message allows 5 more replies within 48 hours.",
       "自用户上次发消息以来可发送的 5 条回复已用完。", "请等待用户再次发消息；每条用户消息后 48 小时内可再回复 5 条。"),
    e!(45072, MP, "Invalid typing command.", "This is a client bug; please report it.", "「正在输入」指令不合法。", "这是客户端缺陷，请反馈给我们。"),
    e!(45080, MP, "The typing indicator needs a message exchange with the customer in the last 30 seconds.", "Show it only while replying to a recent message.",
       "「正在输入」需要 30 秒内与用户有过消息往来。", "请仅在回复最近的消息时显示。"),
    e!(45081, MP, "The typing indicator is already showing.", "Wait 15 seconds or send the message.", "已处于「正在输入」状态。", "请等待 15 秒或直接发送消息。"),
    e!(47001, ANY, "WeChat could not read the request data (format error).", "This is a client bug; please report it.", "请求数据格式错误。", "这是客户端缺陷，请反馈给我们。"),
    e!(48001, MP, "This Official Account is not allowed to use the customer-service API.", "Only verified (认证) Official Accounts may call it; check the account's verification in the MP console.",
       "该公众号没有客服接口权限。", "仅已认证的公众号可调用客服接口；请在公众平台检查认证状态。"),
    e!(61004, MP, "This IP address is not registered for the third-party platform.", "Add this computer's IP to the component's whitelist on the open platform.",
       "当前 IP 未在第三方平台白名单中登记。", "请在开放平台将本机 IP 加入白名单。"),
    e!(89501, MP, "An administrator has not yet confirmed this IP address.", "Ask the administrator to confirm the request in WeChat, then try again.",
       "管理员尚未确认该 IP 的使用请求。", "请管理员在微信中确认后再试。"),
    e!(89503, MP, "This IP address needs the administrator's confirmation.", "The administrator received a request in WeChat; try again after they confirm.",
       "该 IP 需要管理员确认。", "管理员已在微信中收到请求，确认后再试。"),
    e!(89506, MP, "The administrator rejected this IP address.", "Try again after 24 hours, or ask the administrator to allow it.",
       "管理员拒绝了该 IP。", "请 24 小时后再试，或请管理员允许。"),
    e!(89507, MP, "The administrator rejected this IP address.", "Try again after 1 hour, or ask the administrator to allow it.",
       "管理员拒绝了该 IP。", "请 1 小时后再试，或请管理员允许。"),
    // ---- MP: token/credential codes whose meaning differs from WeCom ----
    e!(40001, MP, "WeChat rejected the credentials: the AppSecret is wrong or the access token was replaced.", "Check the AppSecret in Settings. If this keeps happening, another system is refreshing this account's token with /cgi-bin/token; ask it to use stable_token.",
       "凭证无效：AppSecret 错误，或 access_token 已被替换。", "请在设置中检查 AppSecret。若反复出现，说明有其他系统在用 /cgi-bin/token 刷新令牌，请其改用 stable_token。"),
    e!(40003, MP, "This customer (openid) does not belong to this Official Account.", "Check that the customer follows this account and that the right profile is active.",
       "该用户 openid 不属于此公众号。", "请确认用户关注了此公众号，并确认当前选择的账号正确。"),
    // ---- MP customer service 654xx ----
    e!(65400, MP, "The new customer-service feature is not enabled for this Official Account.", "Enable 客服功能 in the MP console (功能 → 客服); if you just enabled it, wait a few minutes.",
       "该公众号尚未开通新版客服功能。", "请在公众平台「功能 → 客服」中开通；如刚开通，请稍等几分钟。"),
    e!(65401, MP, "This customer-service account does not exist.", "Refresh the agent list; it may have been deleted.",
       "客服账号不存在。", "请刷新客服列表，该账号可能已被删除。"),
    e!(65402, MP, "This agent has not bound a WeChat account yet, so it cannot serve customers.", "Invite a WeChat user to bind the account and wait until they accept.",
       "该客服账号尚未绑定微信号，不能接待。", "请邀请微信用户绑定该账号，并等待对方接受。"),
    e!(65403, MP, "The nickname is not allowed.", "Use 1 to 16 characters.", "客服昵称不合法。", "请使用 1–16 个字符。"),
    e!(65404, MP, "The account name is not valid.", "Use 1 to 10 letters, digits or underscores before the @.",
       "客服账号格式不合法。", "@ 前请使用 1–10 个英文字母、数字或下划线。"),
    e!(65405, MP, "This Official Account already has the maximum of 100 agents.", "Delete an agent you no longer need first.",
       "客服账号数量已达上限（100 个）。", "请先删除不再需要的客服账号。"),
    e!(65406, MP, "An agent with this account name already exists.", "Choose another account name.", "该客服账号已存在。", "请换一个账号名。"),
    e!(65407, MP, "This WeChat user is already an agent of this Official Account.", "Invite a different WeChat ID.", "该微信号已经是本公众号的客服。", "请邀请其他微信号。"),
    e!(65408, MP, "This WeChat user already has a pending invitation from this Official Account.", "Wait for them to accept, or let the invitation expire first.",
       "本公众号已向该微信号发出邀请，尚未处理。", "请等待对方接受，或等邀请过期后再试。"),
    e!(65409, MP, "This WeChat ID does not exist.", "Check the WeChat ID (微信号, not the nickname) and try again.",
       "该微信号无效。", "请检查微信号（不是昵称）后重试。"),
    e!(65410, MP, "This WeChat user is already an agent of 5 Official Accounts, the maximum.", "They must unbind one elsewhere first, or invite someone else.",
       "该微信号绑定的公众号客服已达上限（5 个）。", "请对方先解绑其他公众号客服，或邀请其他人。"),
    e!(65411, MP, "This agent already has an invitation waiting for confirmation.", "Wait until it is accepted or expires before inviting again.",
       "该客服账号已有待确认的邀请。", "请等邀请被接受或过期后再重新邀请。"),
    e!(65412, MP, "This agent is already bound to a WeChat user, so it cannot be invited.", "To change the person, delete the agent and create it again.",
       "该客服账号已绑定微信号，不能再邀请。", "如需更换人员，请删除该客服后重新创建。"),
    e!(65413, MP, "This customer has no open session.", "Refresh the sessions; it may already have been closed.",
       "该用户当前没有会话。", "请刷新会话列表，会话可能已被关闭。"),
    e!(65414, MP, "Another agent is already serving this customer.", "Close that session first, or transfer it.",
       "该用户正在被其他客服接待。", "请先关闭该会话，或进行转接。"),
    e!(65415, MP, "This agent is not online.", "Choose an agent who is online in the customer-service tool.",
       "指定的客服不在线。", "请选择在客服工具中在线的客服。"),
    e!(65416, MP, "WeChat rejected the query parameters.", "Times must be in seconds and the count between 1 and 10 000.",
       "查询参数不合法。", "时间须以秒为单位，条数在 1–10000 之间。"),
    e!(65417, MP, "The time range is longer than 24 hours.", "KefuDesk splits long ranges into days; report this if you see it.",
       "查询时间段超过 24 小时。", "KefuDesk 会自动按天拆分，如遇此错误请反馈。"),
    // ---- MP legacy 多客服 codes ----
    e!(61400, MP, "The customer-service account is wrong (legacy error).", "Refresh the agent list and try again.", "客服账号错误（旧版错误码）。", "请刷新客服列表后重试。"),
    e!(61401, MP, "This account was moved to the new customer-service system.", "Use the new customer-service features.", "该账号已迁移到新版客服系统。", "请使用新版客服功能。"),
    e!(61450, MP, "WeChat's customer-service system had an error.", "Try again later.", "客服系统错误。", "请稍后再试。"),
    e!(61451, MP, "A parameter was invalid.", "Check what you entered and try again.", "参数错误。", "请检查填写的内容后重试。"),
    e!(61452, MP, "The customer-service account is invalid.", "Refresh the agent list and try again.", "客服账号无效。", "请刷新客服列表后重试。"),
    e!(61453, MP, "An agent with this account name already exists.", "Choose another account name.", "该客服账号已存在。", "请换一个账号名。"),
    e!(61454, MP, "The account name is too long.", "Use at most 10 characters before the @.", "客服账号名过长。", "@ 前最多 10 个字符。"),
    e!(61455, MP, "The account name contains characters that are not allowed.", "Use only letters, digits and underscores.", "客服账号包含非法字符。", "只能使用英文字母、数字和下划线。"),
    e!(61456, MP, "The maximum number of agents has been reached.", "Delete an agent you no longer need first.", "客服账号数量已达上限。", "请先删除不再需要的客服账号。"),
    e!(61457, MP, "WeChat rejected the avatar file.", "Use a JPEG image; KefuDesk converts other formats for you.", "头像文件类型无效。", "请使用 JPEG 图片；KefuDesk 会自动转换其他格式。"),
    // ---- WeCom generic codes (developer.work.weixin.qq.com/document/path/90313) ----
    e!(40004, WC, "WeCom does not accept this file type.", "Avatars must be JPG or PNG; KefuDesk converts pictures to JPG for you.",
       "不合法的媒体文件类型。", "头像须为 JPG 或 PNG；KefuDesk 会自动转换为 JPG。"),
    e!(40005, WC, "The upload type is not valid.", "This is a client bug; please report it.", "上传类型不合法。", "这是客户端缺陷，请反馈给我们。"),
    e!(40006, WC, "The file size is not valid (WeCom needs more than 5 bytes).", "Choose another file.", "文件大小不合法（须大于 5 字节）。", "请换一个文件。"),
    e!(40009, WC, "The image is too large (WeCom accepts up to 10 MB).", "Choose a smaller picture; KefuDesk resizes avatars to 640×640.", "图片过大（不能超过 10 MB）。", "请选择更小的图片；KefuDesk 会把头像缩放为 640×640。"),
    e!(44001, WC, "The uploaded file was empty.", "Choose the picture again.", "上传的文件为空。", "请重新选择图片。"),
    e!(45001, WC, "The file is larger than WeCom allows.", "Use a smaller file.", "文件大小超过限制。", "请使用更小的文件。"),
    e!(95000, WC, "This support account ID is not valid.", "Refresh the account list and try again.", "客服账号 ID 不合法。", "请刷新客服账号列表后重试。"),
    e!(95001, WC, "The 5 messages allowed since the customer's last message are used up.", "Wait until the customer writes again.", "自客户上次发消息后可发送的 5 条消息已用完。", "请等待客户再次发消息。"),
    e!(95002, WC, "More than 48 hours have passed since the customer's last message.", "You can reply only within 48 hours of a customer message; wait until they write again.", "距客户上次发消息已超过 48 小时。", "只能在客户发消息后 48 小时内回复，请等待客户再次发消息。"),
    e!(95003, WC, "An unverified corp can serve at most 100 customers.", "Verify the corp in the WeCom admin console (我的企业 → 企业信息).", "未验证的企业最多只能接待 100 位客户。", "请在企业微信管理后台完成企业验证（我的企业 → 企业信息）。"),
    e!(95004, WC, "This support account does not exist (it may have been deleted).", "Refresh the account list.", "该客服账号不存在（可能已被删除）。", "请刷新客服账号列表。"),
    e!(95005, WC, "The corp has reached the maximum number of support accounts (and must keep at least one).", "Delete an account you no longer need first.", "客服账号数已达上限（且至少须保留一个）。", "请先删除不再需要的客服账号。"),
    e!(95006, WC, "The account name is not valid.", "Use 1 to 16 characters.", "客服账号名称不合法。", "请使用 1–16 个字符。"),
    e!(95007, WC, "The message token or code is invalid or has expired.", "Codes are valid for a short time and once only; sync the messages again.", "消息令牌无效或已过期。", "这类凭证有效期短且只能使用一次，请重新同步消息。"),
    e!(95008, WC, "A menu message may have at most 10 items.", "Remove some menu items.", "菜单消息最多 10 个菜单项。", "请减少菜单项。"),
    e!(95009, WC, "A menu item has a type WeCom does not know.", "Use click, view, miniprogram or text items.", "菜单项类型不合法。", "请使用 click、view、miniprogram 或 text 类型。"),
    e!(95011, WC, "微信客服 is used inside WeCom (联合版), but this secret belongs to the standalone version.", "Use the secret of the app configured for 微信客服 in the WeCom admin console.", "已在企业微信中使用微信客服（联合版），但该 secret 属于独立版。", "请使用企业微信管理后台中为微信客服配置的应用的 secret。"),
    e!(95012, WC, "微信客服 is not used inside WeCom (独立版), but this secret belongs to the WeCom version.", "Use the secret of the standalone 微信客服.", "未在企业微信中使用微信客服（独立版），但该 secret 属于联合版。", "请使用独立版微信客服的 secret。"),
    e!(95013, WC, "This conversation has already ended.", "Refresh the conversations.", "会话已经结束。", "请刷新会话列表。"),
    e!(95014, WC, "This person is not a servicer of the account, or has not activated WeCom.", "Add them as a servicer first, and make sure they have logged in to WeCom.", "该成员不是此客服账号的接待人员，或尚未激活企业微信。", "请先将其添加为接待人员，并确认其已登录企业微信。"),
    e!(95015, WC, "The admin console has a dedicated-service setting for this.", "Change it in the WeCom admin console (微信客服).", "管理端已经配置了专属服务。", "请在企业微信管理后台（微信客服）中修改。"),
    e!(95016, WC, "The conversation cannot move to that state from its current one.", "Refresh the conversation and choose an allowed action.", "会话不能从当前状态转到该状态。", "请刷新会话后选择允许的操作。"),
    e!(95017, WC, "API access to 微信客服 is switched off for basic app permissions.", "Switch it on in the WeCom admin console under 微信客服 → API.", "基础应用权限下 API 开关处于关闭状态。", "请在企业微信管理后台「微信客服 → API」中开启。"),
    e!(95018, WC, "The conversation's state does not allow sending now (a servicer is serving it, it is queued or ended, or 48 hours have passed).", "Send from the WeCom app, or wait until the customer writes again.", "会话当前状态不允许通过 API 发送（已由接待人员接待、排队中或已结束，或已超过 48 小时）。", "请在企业微信中回复，或等待客户再次发消息。"),
    e!(95019, WC, "This servicer has stopped or paused receiving customers.", "Choose a servicer who is receiving (接待中), or ask them to resume in WeCom.", "该接待人员已停止接待或暂时挂起。", "请选择「接待中」的接待人员，或请其在企业微信中恢复接待。"),
    e!(95022, WC, "The location type is not valid.", "Check the location and try again.", "location_type 不合法。", "请检查位置信息后重试。"),
    e!(95023, WC, "API access for basic permissions has been granted to an agent-developed app.", "Change it in the WeCom admin console under 微信客服 → API.", "基础应用权限下 API 开关已授权给代开发自建应用。", "请在企业微信管理后台「微信客服 → API」中调整。"),
    e!(95026, WC, "WeCom does not allow new support accounts right now because the existing ones are little used.", "Use the existing accounts more, then try again.", "客服账号使用率较低，暂无法创建。", "请提高现有账号的使用率后再试。"),
    e!(95027, WC, "An unverified corp can create at most 10 support accounts.", "Verify the corp in the WeCom admin console to create more, or delete an account.", "企业未认证，最多只能创建 10 个客服账号。", "请在企业微信管理后台完成企业认证，或先删除一个客服账号。"),
    e!(95030, WC, "This message type is forbidden by the kf component's settings.", "Send another type of message.", "客服组件设置了禁发该类消息。", "请改发其他类型的消息。"),
    e!(95031, WC, "The customer has not started a conversation in the last 48 hours.", "You can write only after the customer writes to you.", "客户 48 小时内未发起过咨询。", "须在客户主动发消息后才能发送。"),
    e!(95032, WC, "The kf component's permission to read chat records has expired.", "Contact your WeCom liaison.", "客服组件获取聊天记录的权限已失效。", "请联系企业微信对接人。"),
    e!(40201, WC, "This support account was blocked for sensitive content.", "Contact WeCom support.", "该客服账号因涉及敏感信息已被封禁。", "请联系企业微信客服处理。"),
    e!(40001, WC, "The corp secret is wrong, was reset, or the app is disabled.", "Copy the secret of the app used for 微信客服 again from the WeCom admin console.",
       "secret 错误、已重置，或应用已停用。", "请在企业微信管理后台重新复制「微信客服」所用应用的 secret。"),
    e!(40003, WC, "The user ID is invalid.", "Check the member's UserID in the WeCom admin console.", "UserID 不合法。", "请在企业微信管理后台核对成员的 UserID。"),
    e!(40058, WC, "A parameter is invalid or missing.", "Check what you entered and try again.", "参数不合法或缺失。", "请检查填写的内容后重试。"),
    e!(40063, WC, "A required parameter is empty.", "Fill in every required field.", "必填参数为空。", "请填写所有必填项。"),
    e!(40091, WC, "The secret belongs to another corp or is invalid.", "Use the secret of an app in this corp.", "secret 不合法，可能属于其他企业。", "请使用本企业应用的 secret。"),
    e!(40096, WC, "The customer's external user ID is invalid.", "Refresh the conversation and try again.", "客户的 external_userid 不合法。", "请刷新会话后重试。"),
    e!(41006, WC, "The media_id is missing.", "Upload the file again.", "缺少 media_id。", "请重新上传文件。"),
    e!(44004, WC, "The text is empty.", "Type a message before sending.", "文本内容为空。", "请输入内容后再发送。"),
    e!(45033, WC, "Too many calls at once.", "Wait a moment and try again.", "接口并发调用超过限制。", "请稍候再试。"),
    e!(48002, WC, "This app may not call this API.", "Add the app under 微信客服 → 可调用接口的应用 and allow it to manage these accounts.",
       "该应用无权调用此接口。", "请在「微信客服 → 可调用接口的应用」中添加该应用，并授权管理这些客服账号。"),
    e!(60011, WC, "The app may not see this member or department.", "Widen the app's visible range in the WeCom admin console.", "应用无权访问该成员或部门。", "请在企业微信管理后台扩大应用的可见范围。"),
    e!(60020, WC, "This computer's IP address {ip} is not a trusted IP of the app.", "Add {ip} under the app's 企业可信IP in the WeCom admin console (it takes about a minute), or use a company token relay and API gateway.",
       "本机 IP {ip} 不在应用的企业可信 IP 中。", "请在企业微信管理后台该应用的「企业可信IP」中添加 {ip}（约一分钟后生效），或使用公司的令牌中继和 API 网关。"),
    e!(60111, WC, "This UserID does not exist.", "Check the member's UserID.", "UserID 不存在。", "请核对成员的 UserID。"),
    e!(60123, WC, "The department ID is invalid.", "Check the department.", "部门 ID 不合法。", "请核对部门。"),
    e!(301002, WC, "The app has no permission for this.", "Check the app's permissions in the WeCom admin console.", "无权限操作指定的应用。", "请在企业微信管理后台检查应用权限。"),
];

/// The explanation of `code` on `platform`, if KefuDesk knows it.
pub fn lookup(platform: Platform, code: i64) -> Option<&'static Entry> {
    ENTRIES
        .iter()
        .find(|e| e.code == code && e.platform == Some(platform))
        .or_else(|| ENTRIES.iter().find(|e| e.code == code && e.platform.is_none()))
}

/// The caller IP WeChat quotes in an errmsg: MP 40164 (`invalid ip 1.2.3.4 ipv6 ..., not in
/// whitelist`) or WeCom's suffix (`…, from ip: 1.2.3.4, more info at …`).
pub fn ip_from_errmsg(errmsg: &str) -> Option<&str> {
    let start = ["invalid ip ", "from ip: "].iter().find_map(|k| errmsg.find(k).map(|i| i + k.len()))?;
    let ip = errmsg[start..].split([' ', ',']).next()?;
    (!ip.is_empty()).then_some(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the reference tells a client to expect has an explanation.
    #[test]
    fn catalogue_covers_the_reference_codes() {
        let mp = [
            -1, 40001, 40002, 40003, 40005, 40013, 40014, 40066, 40097, 40125, 40164, 40200, 40243, 41001, 41002,
            41004, 42001, 43002, 43004, 43019, 44002, 45002, 45008, 45009, 45011, 45015, 45047, 45072, 45080, 45081,
            47001, 48001, 61004, 89501, 89503, 89506, 89507, 61400, 61401, 61450, 61451, 61452, 61453, 61454, 61455,
            61456, 61457,
        ];
        let wecom = [
            -1, 40001, 40013, 40091, 40014, 42001, 41001, 40003, 40058, 40063, 40096, 41006, 40007, 44004, 45002,
            45009, 45033, 48002, 60011, 60020, 60111, 60123, 301002, 40004, 40005, 40006, 40009, 44001, 45001, 40201,
        ];
        // Every kf code of the official list (95010, 95020, 95021, 95024, 95025, 95028 and 95029 do not exist).
        let kf = (95000..=95032).filter(|c| ![95010, 95020, 95021, 95024, 95025, 95028, 95029].contains(c));
        for code in mp.into_iter().chain(65400..=65417) {
            assert!(lookup(Platform::Mp, code).is_some(), "MP {code} has no explanation");
        }
        for code in wecom.into_iter().chain(kf) {
            assert!(lookup(Platform::Wecom, code).is_some(), "WeCom {code} has no explanation");
        }
    }

    #[test]
    fn platform_specific_meanings_win() {
        assert!(lookup(Platform::Mp, 40003).unwrap().en.contains("openid"));
        assert!(lookup(Platform::Wecom, 40003).unwrap().en.contains("user ID"));
        assert!(lookup(Platform::Mp, 12345).is_none());
    }

    #[test]
    fn every_entry_is_complete_and_unique() {
        for (i, e) in ENTRIES.iter().enumerate() {
            assert!(!e.en.is_empty() && !e.en_fix.is_empty() && !e.zh.is_empty() && !e.zh_fix.is_empty(), "{}", e.code);
            assert!(
                !ENTRIES[..i].iter().any(|o| o.code == e.code && o.platform == e.platform),
                "duplicate entry for {} {:?}",
                e.code,
                e.platform
            );
        }
    }

    #[test]
    fn ip_is_read_from_both_errmsg_shapes() {
        assert_eq!(
            ip_from_errmsg("invalid ip 47.94.148.108 ipv6 ::ffff:47.94.148.108, not in whitelist rid: 5"),
            Some("47.94.148.108")
        );
        assert_eq!(ip_from_errmsg("invalid ip 61.172.68.219, not in whitelist hint: [KJ]"), Some("61.172.68.219"));
        assert_eq!(ip_from_errmsg("not allow to access from your ip, hint: [1761], from ip: 58.246.1.2, more info at https://open.work.weixin.qq.com/devtool/query?e=60020"), Some("58.246.1.2"));
        assert_eq!(ip_from_errmsg("system error"), None);
    }
}
