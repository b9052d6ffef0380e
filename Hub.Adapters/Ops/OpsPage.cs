namespace Hub.Adapters.Ops;

/// <summary>
/// The operations page: one self-contained HTML file (no CDN: the hub runs on closed networks), vanilla
/// JS, hand-drawn SVG for the sequence diagram, the flow graph and the live charts, in Chinese and English.
/// </summary>
internal static class OpsPage
{
    /// <summary>
    /// Content-Security-Policy of the page: nothing from elsewhere, and only this page's own inline script and style
    /// (by their SHA-256), so an injected script in any rendered value cannot run.
    /// </summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; script-src '{Hash("script")}'; style-src '{Hash("style")}'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static string Hash(string element)
    {
        var start = Html.IndexOf($"<{element}>", StringComparison.Ordinal) + element.Length + 2;
        var content = Html[start..Html.IndexOf($"</{element}>", start, StringComparison.Ordinal)];
        return "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));
    }

    public const string Html = """
<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>CRM Hub · Operations</title>
<style>
 body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:0;color:#1d2733;background:#f6f8fa}
 header{background:#1d3557;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1rem;align-items:center}
 header h1{font-size:1.1rem;margin:0;flex:1} header button{background:#2a4a75;color:#fff;border:1px solid #4d6d99}
 nav{display:flex;gap:.2rem;padding:.4rem 1.2rem 0;background:#e8edf3}
 nav button{border:0;background:none;padding:.5rem .9rem;cursor:pointer;border-radius:.3rem .3rem 0 0}
 nav button.on{background:#fff;font-weight:600}
 main{padding:1rem 1.2rem;background:#fff;min-height:80vh}
 table{border-collapse:collapse;width:100%;font-size:.82rem;margin:.4rem 0 1rem}
 th,td{border-bottom:1px solid #dde3ea;padding:.3rem .45rem;text-align:left;vertical-align:top}
 th{background:#f1f4f8} tr.faulted,tr.stopped{background:#fdecec} tr.alive td.st{color:#1a7f37;font-weight:600} tr.stopped td.st{color:#c62828;font-weight:600}
 input,select,button,textarea{font:inherit;padding:.25rem .5rem} button{cursor:pointer}
 .muted{color:#6b7785} .panel{border:1px solid #dde3ea;border-radius:.4rem;padding:.6rem;margin:.6rem 0;background:#fbfcfd}
 .alert{background:#fff3cd;border:1px solid #e0b400;padding:.4rem .6rem;margin:.3rem 0;border-radius:.3rem}
 .badge{background:#c62828;color:#fff;border-radius:1rem;padding:0 .45rem;font-size:.75rem;margin-left:.2rem}
 pre{white-space:pre-wrap;font-size:.75rem;max-height:16rem;overflow:auto;background:#f4f6f8;padding:.4rem}
 textarea{width:100%;height:10rem;font-family:monospace;font-size:.8rem}
 #signin{max-width:22rem;margin:4rem auto;padding:1.5rem;border:1px solid #dde3ea;border-radius:.5rem;background:#fff}
 #signin label{display:block;margin:.5rem 0} #signin input{width:100%;box-sizing:border-box}
 .charts{display:flex;flex-wrap:wrap;gap:1rem} .charts figure{margin:0} figcaption{font-size:.8rem;font-weight:600}
 svg text{font-size:11px;font-family:inherit}
</style>
</head>
<body>
<header><h1 data-t="title"></h1><span id="who"></span><button id="lang">English</button><button id="signout" data-t="signout" hidden></button></header>
<div id="signin" hidden>
 <h2 data-t="signinTitle"></h2>
 <form id="signinForm"><label><span data-t="username"></span><input name="username" id="username" autocomplete="username"></label>
 <label><span data-t="password"></span><input name="password" id="password" type="password" autocomplete="current-password"></label>
 <button id="signinButton" data-t="signin"></button> <span id="signinError" class="muted"></span></form>
</div>
<div id="app" hidden>
<nav id="tabs"></nav>
<main>
<section id="tab-messages">
 <form id="search">
  <label><span data-t="key"></span> <input name="key" id="key" size="18"></label>
  <label><span data-t="type"></span> <input name="type" size="14"></label>
  <label><span data-t="outcome"></span> <select name="outcome"><option value="" data-t="all"></option><option>consumed</option><option>faulted</option></select></label>
  <label><span data-t="from"></span> <input name="from" type="datetime-local"></label>
  <label><span data-t="to"></span> <input name="to" type="datetime-local"></label>
  <button id="searchButton" data-t="search"></button>
 </form>
 <p class="muted" id="status"></p>
 <div id="conversation" class="panel" hidden><h3><span data-t="conversation"></span> <code id="convId"></code></h3>
  <h4 data-t="sequence"></h4><div id="sequence"></div><h4 data-t="graph"></h4><div id="graph"></div></div>
 <table><thead><tr><th>#</th><th data-t="time"></th><th data-t="type"></th><th data-t="route"></th><th>ms</th><th data-t="outcome"></th><th data-t="conversation"></th></tr></thead><tbody id="rows"></tbody></table>
</section>
<section id="tab-failed" hidden>
 <h3 data-t="groups"></h3>
 <table><thead><tr><th data-t="exception"></th><th data-t="endpoint"></th><th data-t="type"></th><th data-t="failurePoint"></th><th data-t="count"></th><th data-t="last"></th><th></th></tr></thead><tbody id="groups"></tbody></table>
 <h3 data-t="failedMessages"></h3>
 <label><span data-t="status"></span> <select id="failedStatus"><option value="unresolved">unresolved</option><option value="retrying">retrying</option><option value="resolved">resolved</option><option value="archived">archived</option><option value="">*</option></select></label>
 <table><thead><tr><th>#</th><th data-t="type"></th><th data-t="endpoint"></th><th data-t="exception"></th><th data-t="keys"></th><th data-t="failures"></th><th data-t="status"></th><th></th></tr></thead><tbody id="failed"></tbody></table>
 <div id="failedDetail" class="panel" hidden></div>
 <h3 data-t="actions"></h3>
 <table><thead><tr><th data-t="time"></th><th data-t="user"></th><th data-t="action"></th><th data-t="target"></th><th data-t="count"></th></tr></thead><tbody id="actions"></tbody></table>
</section>
<section id="tab-sagas" hidden>
 <form id="sagaSearch"><label><span data-t="key"></span> <input name="key" size="18"></label> <button data-t="search"></button></form>
 <table><thead><tr><th data-t="order"></th><th data-t="state"></th><th>ERP</th><th data-t="billing"></th><th data-t="customer"></th><th data-t="reason"></th></tr></thead><tbody id="sagas"></tbody></table>
 <h3 data-t="ticketSagas"></h3>
 <table><thead><tr><th data-t="ticket"></th><th data-t="state"></th><th data-t="office"></th><th data-t="engineer"></th><th data-t="alarms"></th></tr></thead><tbody id="ticketSagas"></tbody></table>
 <div id="sagaDetail" class="panel" hidden></div>
</section>
<section id="tab-endpoints" hidden>
 <table><thead><tr><th data-t="endpoint"></th><th data-t="host"></th><th data-t="state"></th><th data-t="since"></th><th data-t="health"></th><th data-t="throughput"></th><th data-t="processing"></th><th data-t="critical"></th><th data-t="retries"></th></tr></thead><tbody id="instances"></tbody></table>
 <h3 data-t="queues"></h3><p class="muted" id="transport"></p>
 <table><thead><tr><th data-t="queue"></th><th data-t="depth"></th><th data-t="ready"></th><th data-t="unacked"></th><th data-t="consumers"></th></tr></thead><tbody id="queues"></tbody></table>
 <div class="charts" id="charts"></div>
</section>
<section id="tab-notifications" hidden>
 <form id="notificationSearch"><input name="customerCode" data-tp="customerCode" size="12"><input name="subject" data-tp="subject" size="14"><input name="recipient" data-tp="recipient" size="16">
  <select name="state"><option value="" data-t="all"></option><option>queued</option><option>sent</option><option>delivered</option><option>failed</option><option>skipped</option></select>
  <select name="channel"><option value="" data-t="all"></option><option>email</option><option>sms</option></select><button data-t="search"></button></form>
 <table><thead><tr><th data-t="time"></th><th data-t="channel"></th><th data-t="recipient"></th><th data-t="template"></th><th data-t="subject"></th><th data-t="state"></th><th data-t="reason"></th></tr></thead><tbody id="notifications"></tbody></table>
 <div id="notificationDetail" class="panel" hidden></div>
</section>
<section id="tab-alerts" hidden><div id="alerts"></div></section>
<section id="tab-registry" hidden><div id="registry"></div></section>
</main>
</div>
<script>
const T={
 zh:{title:'CRM 集成中心 · 运维',signinTitle:'运维登录',username:'用户名',password:'密码',signin:'登录',signout:'退出',key:'业务键',type:'类型',outcome:'结果',all:'全部',from:'从',to:'至',search:'查找',
  time:'时间',route:'来源 → 端点',conversation:'会话',sequence:'时序图',graph:'流程图',groups:'失败分组',exception:'异常',endpoint:'端点',failurePoint:'失败位置',count:'数量',last:'最近',
  failedMessages:'失败消息',status:'状态',keys:'业务键',failures:'失败次数',actions:'操作记录',user:'用户',action:'操作',target:'对象',order:'订单',state:'状态',billing:'计费',customer:'客户',reason:'原因',
  host:'主机',since:'自',health:'健康',throughput:'吞吐(条/秒)',processing:'处理(ms)',critical:'关键时间(ms)',retries:'重试',queues:'队列',queue:'队列',depth:'深度',ready:'就绪',unacked:'未确认',consumers:'消费者',
  retry:'重试',archive:'归档',view:'查看',editRetry:'编辑并重试',retryGroup:'重试本组',archiveGroup:'归档本组',alive:'运行中',stopped:'已停止',noAlerts:'没有告警',exposed:'提供的服务',name:'名称',kind:'类别',consumed:'使用的服务',address:'地址',contract:'契约版本',
  ticketSagas:'服务工单',ticket:'工单',office:'办事处',engineer:'工程师',alarms:'告警次数',channel:'渠道',recipient:'收件人',template:'模板',subject:'业务对象',customerCode:'客户编码',notificationsElsewhere:'本主机没有通知接口:请把 /api/notifications 路由到 Hub.Functions',
  tabs:{messages:'消息流',failed:'失败消息',sagas:'Saga',endpoints:'端点',notifications:'通知',alerts:'告警',registry:'服务注册'},messagesCount:'条消息',history:'状态历史',timeouts:'待触发超时',moved:'推动它的消息',stack:'堆栈',body:'消息体(可编辑)',wrong:'用户名或密码错误',notMeasured:'内存传输:队列深度不可测'},
 en:{title:'CRM Integration Hub · Operations',signinTitle:'Operations sign-in',username:'Username',password:'Password',signin:'Sign in',signout:'Sign out',key:'Business key',type:'Type',outcome:'Outcome',all:'all',from:'From',to:'To',search:'Search',
  time:'Time',route:'Source → Endpoint',conversation:'Conversation',sequence:'Sequence diagram',graph:'Flow graph',groups:'Failure groups',exception:'Exception',endpoint:'Endpoint',failurePoint:'Place of failure',count:'Count',last:'Last',
  failedMessages:'Failed messages',status:'Status',keys:'Business keys',failures:'Failures',actions:'Action log',user:'User',action:'Action',target:'Target',order:'Order',state:'State',billing:'Billing',customer:'Customer',reason:'Reason',
  host:'Host',since:'Since',health:'Health',throughput:'Throughput (msg/s)',processing:'Processing (ms)',critical:'Critical time (ms)',retries:'Retries',queues:'Queues',queue:'Queue',depth:'Depth',ready:'Ready',unacked:'Unacked',consumers:'Consumers',
  retry:'Retry',archive:'Archive',view:'View',editRetry:'Edit & retry',retryGroup:'Retry group',archiveGroup:'Archive group',alive:'alive',stopped:'stopped',noAlerts:'No alerts',exposed:'Exposed services',name:'Name',kind:'Kind',consumed:'Consumed services',address:'Address',contract:'Contract',
  ticketSagas:'Service tickets',ticket:'Ticket',office:'Office',engineer:'Engineer',alarms:'Alarms',channel:'Channel',recipient:'Recipient',template:'Template',subject:'Subject',customerCode:'Customer code',notificationsElsewhere:'No notifications API on this host: route /api/notifications to Hub.Functions',
  tabs:{messages:'Message flows',failed:'Failed messages',sagas:'Sagas',endpoints:'Endpoints',notifications:'Notifications',alerts:'Alerts',registry:'Service registry'},messagesCount:'messages',history:'State history',timeouts:'Pending timeouts',moved:'Messages that moved it',stack:'Stack trace',body:'Message (editable)',wrong:'Wrong username or password',notMeasured:'in-memory transport: queue depth not measurable'}};
let lang=localStorage.getItem('opsLang')||(navigator.language.startsWith('zh')?'zh':'en'), me=null, tab='messages', timer=null;
const $=id=>document.getElementById(id), t=k=>T[lang][k]??k;
function el(tag,attrs,...kids){const e=document.createElement(tag);for(const[k,v]of Object.entries(attrs||{})){if(k.startsWith('on'))e[k]=v;else e.setAttribute(k,v);}for(const c of kids)e.append(c instanceof Node?c:document.createTextNode(c??''));return e;}
function row(cells,cls){const tr=el('tr',cls?{class:cls}:{});for(const c of cells)tr.append(c instanceof Node&&c.tagName==='TD'?c:el('td',{},c));return tr;}
function fill(id,rows){$(id).replaceChildren(...rows);}
const when=d=>d?new Date(d.endsWith&&!d.endsWith('Z')&&!d.includes('+')?d+'Z':d).toLocaleString(lang==='zh'?'zh-CN':'en-GB'):'';
async function api(url,opt){const r=await fetch(url,Object.assign({headers:{'Content-Type':'application/json'}},opt));if(r.status===401){showSignin();throw new Error('401');}
 const text=await r.text();const body=text?JSON.parse(text):null;if(!r.ok)throw new Error((body&&body.title)||r.statusText);return body;}
function translate(){document.documentElement.lang=lang==='zh'?'zh-CN':'en';for(const e of document.querySelectorAll('[data-t]'))e.textContent=t(e.dataset.t);for(const e of document.querySelectorAll('[data-tp]'))e.placeholder=t(e.dataset.tp);$('lang').textContent=lang==='zh'?'English':'中文';
 $('tabs').replaceChildren(...Object.keys(T.en.tabs).map(k=>el('button',{id:'tab-button-'+k,class:k===tab?'on':'',onclick:()=>show(k)},T[lang].tabs[k])));document.title=t('title');}
$('lang').onclick=()=>{lang=lang==='zh'?'en':'zh';localStorage.setItem('opsLang',lang);translate();show(tab);};
function showSignin(){$('app').hidden=true;$('signin').hidden=false;$('signout').hidden=true;$('who').textContent='';if(timer)clearInterval(timer);}
$('signinForm').onsubmit=async e=>{e.preventDefault();const r=await fetch('/ops/api/session',{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify({username:$('username').value,password:$('password').value})});
 if(!r.ok){$('signinError').textContent=t('wrong');return;}me=await r.json();start();};
$('signout').onclick=async()=>{await fetch('/ops/api/session',{method:'DELETE'});showSignin();};
function start(){$('signin').hidden=true;$('app').hidden=false;$('signout').hidden=false;$('who').textContent=me.name+' ('+me.role+')';translate();show(tab);
 if(timer)clearInterval(timer);timer=setInterval(()=>{if(tab==='endpoints'||tab==='alerts')show(tab);refreshAlertBadge();},2000);refreshAlertBadge();}
const canOperate=()=>me&&(me.role==='operator'||me.role==='admin');
function show(k){tab=k;for(const s of document.querySelectorAll('main section'))s.hidden=s.id!=='tab-'+k;for(const b of $('tabs').children)b.className=b.id==='tab-button-'+k?'on':'';
 ({messages:loadMessages,failed:loadFailed,sagas:loadSagas,endpoints:loadEndpoints,notifications:loadNotifications,alerts:loadAlerts,registry:loadRegistry})[k]();}
async function refreshAlertBadge(){try{const a=await api('/ops/api/alerts');const b=$('tab-button-alerts');if(b){b.querySelector('.badge')?.remove();if(a.length)b.append(el('span',{class:'badge'},String(a.length)));}}catch(e){}}
// ---- message flows
let lastSearch='/ops/api/messages?limit=50';
async function loadMessages(url){if(url)lastSearch=url;const list=await api(lastSearch);
 fill('rows',list.map(m=>{const a=m.conversationId?el('a',{href:'#',class:'conv',onclick:e=>{e.preventDefault();conversation(m.conversationId);}},m.conversationId.slice(0,8)):'';
  return row([String(m.id),when(m.processedAt),m.messageType,(m.source||'?')+' → '+m.endpoint,m.processingMs.toFixed(1),m.outcome+(m.error?': '+m.error:''),el('td',{},a)],m.outcome==='faulted'?'faulted':'');}));
 $('status').textContent=list.length+' '+t('messagesCount');}
$('search').onsubmit=e=>{e.preventDefault();const p=new URLSearchParams();for(const[k,v]of new FormData(e.target))if(v)p.set(k,k==='from'||k==='to'?new Date(v).toISOString():v);loadMessages('/ops/api/messages?'+p);};
async function conversation(id){const list=await api('/ops/api/conversations/'+id);$('conversation').hidden=false;$('convId').textContent=id;$('sequence').replaceChildren(sequence(list));$('graph').replaceChildren(graph(list));$('conversation').scrollIntoView();}
const NS='http://www.w3.org/2000/svg';
function s(tag,attrs,text){const e=document.createElementNS(NS,tag);for(const[k,v]of Object.entries(attrs))e.setAttribute(k,v);if(text!=null)e.textContent=text;return e;}
const short=n=>n.length>22?n.slice(0,20)+'…':n;
function sequence(list){const parts=[];for(const m of list)for(const p of[m.source||'?',m.endpoint])if(!parts.includes(p))parts.push(p);
 const w=170,h=60+list.length*34,svg=s('svg',{width:parts.length*w+40,height:h,id:'sequenceSvg'});
 const defs=s('defs',{}),marker=s('marker',{id:'arr',markerWidth:8,markerHeight:8,refX:7,refY:4,orient:'auto'});marker.append(s('path',{d:'M0,0 L8,4 L0,8 z',fill:'#1d3557'}));defs.append(marker);svg.append(defs);
 parts.forEach((p,i)=>{const x=20+i*w+w/2;svg.append(s('rect',{x:x-75,y:5,width:150,height:24,rx:4,fill:'#e8edf3',stroke:'#1d3557'}),s('text',{x,y:21,'text-anchor':'middle'},short(p)),s('line',{x1:x,y1:29,x2:x,y2:h-5,stroke:'#9aa7b5','stroke-dasharray':'4 3'}));});
 const t0=new Date(list[0].sentAt||list[0].processedAt);
 list.forEach((m,i)=>{const a=20+parts.indexOf(m.source||'?')*w+w/2,b=20+parts.indexOf(m.endpoint)*w+w/2,y=50+i*34,col=m.outcome==='faulted'?'#c62828':'#1d3557';
  if(a===b)svg.append(s('path',{d:`M${a},${y} h30 v12 h-28`,fill:'none',stroke:col,'marker-end':'url(#arr)'}));else svg.append(s('line',{x1:a,y1:y,x2:b+(b>a?-2:2),y2:y,stroke:col,'marker-end':'url(#arr)'}));
  const offset=((new Date(m.sentAt||m.processedAt)-t0)/1000).toFixed(2);svg.append(s('text',{x:(a+b)/2+(a===b?40:0),y:y-4,'text-anchor':'middle',fill:col,class:'seq-label'},`${i+1}. ${m.messageType}  +${offset}s · ${m.processingMs.toFixed(0)}ms`));});
 return svg;}
function graph(list){const nodes=[],edges=new Map();for(const m of list){for(const p of[m.source||'?',m.endpoint])if(!nodes.includes(p))nodes.push(p);const k=(m.source||'?')+'|'+m.endpoint;edges.set(k,[...(edges.get(k)||[]),m.messageType]);}
 const W=Math.max(620,nodes.length*120),H=Math.max(360,nodes.length*60),cx=W/2,cy=H/2,rx=W/2-90,ry=H/2-40,pos={};nodes.forEach((n,i)=>{const a=2*Math.PI*i/nodes.length-Math.PI/2;pos[n]=[cx+rx*Math.cos(a),cy+ry*Math.sin(a)];});
 const svg=s('svg',{width:W,height:H,id:'graphSvg'});svg.append(s('defs',{}));svg.firstChild.append(s('marker',{id:'arr2',markerWidth:8,markerHeight:8,refX:7,refY:4,orient:'auto'}));svg.querySelector('marker').append(s('path',{d:'M0,0 L8,4 L0,8 z',fill:'#457b9d'}));
 for(const[k,types]of edges){const[a,b]=k.split('|'),[x1,y1]=pos[a],[x2,y2]=pos[b];const dx=x2-x1,dy=y2-y1,len=Math.hypot(dx,dy)||1;
  // Both directions between two nodes: each arrow and its label keep to their own side.
  const nx=-dy/len*9,ny=dx/len*9;
  if(a===b){svg.append(s('circle',{cx:x1,cy:y1-26,r:14,fill:'none',stroke:'#457b9d'}));}else svg.append(s('line',{x1:x1+dx/len*40+nx,y1:y1+dy/len*14+ny,x2:x2-dx/len*44+nx,y2:y2-dy/len*16+ny,stroke:'#457b9d','marker-end':'url(#arr2)'}));
  svg.append(s('text',{x:(x1+x2)/2+nx*2.2,y:(y1+y2)/2+ny*2.2-(a===b?44:0),'text-anchor':'middle',fill:'#457b9d'},[...new Set(types)].join(', ')));}
 for(const n of nodes){const[x,y]=pos[n];svg.append(s('rect',{x:x-70,y:y-12,width:140,height:24,rx:12,fill:'#fff',stroke:'#1d3557'}),s('text',{x,y:y+4,'text-anchor':'middle'},short(n)));}
 return svg;}
// ---- failed messages
$('failedStatus').onchange=()=>loadFailed();
function act(label,fn,id){return el('button',{onclick:async()=>{try{await fn();}catch(e){alert(e.message);}loadFailed();},...(id?{id}:{}),...(canOperate()?{}:{disabled:''})},label);}
async function loadFailed(){const[groups,list,actions]=await Promise.all([api('/ops/api/failed/groups'),api('/ops/api/failed?status='+$('failedStatus').value),api('/ops/api/actions?limit=20')]);
 fill('groups',groups.map(g=>row([g.exceptionType.split('.').pop()+': '+g.exampleMessage,g.endpoint,g.messageType,g.failurePoint,String(g.count),when(g.lastFailedAt),
  el('td',{},act(t('retryGroup'),()=>api(`/ops/api/failed/groups/${g.groupId}/retry`,{method:'POST'}),'retry-group-'+g.groupId),' ',act(t('archiveGroup'),()=>api(`/ops/api/failed/groups/${g.groupId}/archive`,{method:'POST'})))],'group')));
 fill('failed',list.map(m=>row([String(m.id),m.messageType,m.endpoint,m.exceptionType.split('.').pop()+': '+m.exceptionMessage,m.businessKeys,String(m.failureCount),m.status+(m.edited?' ✎':''),
  el('td',{},el('button',{onclick:()=>failedDetail(m.id)},t('view')),' ',m.status==='unresolved'?act(t('retry'),()=>api(`/ops/api/failed/${m.id}/retry`,{method:'POST'}),'retry-'+m.id):'',' ',
   m.status==='unresolved'?act(t('archive'),()=>api(`/ops/api/failed/${m.id}/archive`,{method:'POST'})):'')],'failed')));
 fill('actions',actions.map(a=>row([when(a.at),a.user+' ('+a.role+')',a.action,a.target,String(a.count)])));}
async function failedDetail(id){const d=await api('/ops/api/failed/'+id),p=$('failedDetail');let message='';try{message=JSON.stringify(JSON.parse(d.body).message,null,2);}catch(e){message=d.body;}
 const ta=el('textarea',{id:'editBody'},message);p.hidden=false;
 p.replaceChildren(el('h4',{},`#${id} ${d.summary.messageType} @ ${d.summary.endpoint}`),el('p',{},d.summary.exceptionType+': '+d.summary.exceptionMessage),el('b',{},t('stack')),el('pre',{},d.stackTrace||''),
  el('b',{},t('body')),ta,d.summary.status==='unresolved'?act(t('editRetry'),()=>api(`/ops/api/failed/${id}/edit-and-retry`,{method:'POST',body:JSON.stringify({message:JSON.parse(ta.value)})}),'edit-retry'):'');}
// ---- sagas
$('sagaSearch').onsubmit=e=>{e.preventDefault();loadSagas(new FormData(e.target).get('key'));};
async function loadSagas(key){const q=key?'?key='+encodeURIComponent(key):'';let list=[],tickets=[];
 try{list=await api('/ops/api/sagas/orders'+q);}catch(e){fill('sagas',[row([e.message])]);}
 try{tickets=await api('/ops/api/sagas/service-tickets'+q);}catch(e){fill('ticketSagas',[row([e.message])]);}
 fill('sagas',list.map(x=>row([el('td',{},el('a',{href:'#',onclick:ev=>{ev.preventDefault();sagaDetail('orders',x.correlationId);}},x.orderNumber)),x.currentState,x.erpStatus,x.billingStatus,x.customerCode,x.failureReason||''],'saga')));
 fill('ticketSagas',tickets.map(x=>row([el('td',{},el('a',{href:'#',onclick:ev=>{ev.preventDefault();sagaDetail('service-tickets',x.correlationId);}},x.ticketNumber)),x.currentState,x.officeId||'',x.engineerUserId||'',String(x.alarmsRaised)],'ticket-saga')));}
async function sagaDetail(kind,id){const d=await api('/ops/api/sagas/'+kind+'/'+id),p=$('sagaDetail');p.hidden=false;
 p.replaceChildren(el('h4',{},(d.saga.orderNumber||d.saga.ticketNumber)+' · '+d.saga.currentState),el('b',{},t('history')),el('ol',{},...d.history.map(h=>el('li',{},when(h.at)+' '+h.status))),
  el('b',{},t('timeouts')),el('ul',{},...d.timeouts.map(x=>el('li',{},when(x.scheduledTime)+' '+x.messageType.split(':').pop()))),
  el('b',{},t('moved')),el('ol',{},...d.messages.map(m=>el('li',{},when(m.processedAt)+' '+m.messageType+' ← '+(m.source||'?')+' ('+m.outcome+')'))));}
// ---- endpoints
function chart(title,series,key){const W=360,H=150,svg=s('svg',{width:W,height:H,class:'chart'});const all=series.flatMap(x=>x.points.map(p=>p[key]));const max=Math.max(1,...all);
 const times=series.flatMap(x=>x.points.map(p=>new Date(p.at+'Z').getTime()));const t0=Math.min(...times),t1=Math.max(t0+1,...times);const colors=['#1d3557','#e63946','#2a9d8f','#f4a261','#6a4c93'];
 svg.append(s('rect',{x:40,y:5,width:W-45,height:H-30,fill:'#fbfcfd',stroke:'#dde3ea'}),s('text',{x:36,y:14,'text-anchor':'end'},max.toFixed(max<10?1:0)),s('text',{x:36,y:H-25,'text-anchor':'end'},'0'));
 series.forEach((x,i)=>{const pts=x.points.map(p=>`${40+(new Date(p.at+'Z').getTime()-t0)/(t1-t0)*(W-45)},${H-25-(p[key]/max)*(H-30)}`).join(' ');svg.append(s('polyline',{points:pts,fill:'none',stroke:colors[i%5],'stroke-width':1.6}),s('text',{x:44+i*110,y:H-8,fill:colors[i%5]},x.endpoint));});
 return el('figure',{},el('figcaption',{},title),svg);}
async function loadEndpoints(){const[e,metrics]=await Promise.all([api('/ops/api/endpoints'),api('/ops/api/endpoints/metrics?minutes=10')]);
 fill('instances',e.instances.map(i=>{const l=i.last||{};const tr=row([i.endpoint,i.host+' · pid '+i.processId,el('td',{class:'st'},i.alive?t('alive'):t('stopped')),when(i.since),Object.entries(i.health).map(([k,v])=>k+': '+v).join(', '),
  l.seconds?(l.processed/l.seconds).toFixed(1):'0',(l.processingMs||0).toFixed(1),(l.criticalMs||0).toFixed(1),String(l.retried||0)],i.alive?'alive':'stopped');tr.dataset.endpoint=i.endpoint;tr.dataset.pid=i.processId;return tr;}));
 $('transport').textContent=e.transport==='rabbitmq'?'RabbitMQ':t('notMeasured');
 fill('queues',e.queues.map(q=>row([q.queue,q.messages??'–',q.ready??'–',q.unacknowledged??'–',q.consumers??'–'])));
 $('charts').replaceChildren(chart(t('throughput'),metrics,'throughput'),chart(t('processing'),metrics,'processingMs'),chart(t('critical'),metrics,'criticalMs'),chart(t('retries'),metrics,'retried'));}
// ---- notifications (served by Hub.Functions: the same origin when embedded, routed there by the front in the distributed mode)
let notificationQuery='';
$('notificationSearch').onsubmit=e=>{e.preventDefault();const p=new URLSearchParams();for(const[k,v]of new FormData(e.target))if(v)p.set(k,v);notificationQuery=p.toString();loadNotifications();};
async function loadNotifications(){let list;try{list=await api('/api/notifications?limit=100&'+notificationQuery);}catch(e){fill('notifications',[row([e.message==='Not Found'?t('notificationsElsewhere'):e.message])]);return;}
 fill('notifications',list.map(n=>{const tr=row([when(n.createdAt),n.channel,n.recipient,n.template,n.subject,n.state+(n.urgent?' !':''),n.error||n.providerStatus||''],'notification '+n.state);
  tr.onclick=()=>{const p=$('notificationDetail');p.hidden=false;p.replaceChildren(el('h4',{},n.title||n.template),el('pre',{},n.body||''),
   el('p',{class:'muted'},[n.customerCode,n.language,n.sentAt&&'sent '+when(n.sentAt),n.deliveredAt&&'delivered '+when(n.deliveredAt)].filter(Boolean).join(' · ')));};return tr;}));}
// ---- alerts, registry
async function loadAlerts(){const list=await api('/ops/api/alerts');$('alerts').replaceChildren(...(list.length?list.map(a=>el('div',{class:'alert'},`⚠ [${a.kind}] ${a.text} · ${t('since')} ${when(a.since)}`)):[el('p',{class:'muted'},t('noAlerts'))]));}
async function loadRegistry(){const r=await api('/ops/api/registry');const table=(title,list)=>[el('h3',{},title),el('table',{},el('thead',{},el('tr',{},...[t('name'),t('kind'),t('address'),t('contract'),t('state')].map(x=>el('th',{},x)))),el('tbody',{},...list.map(x=>row([x.name,x.kind,x.address,x.contract,x.state]))))];
 $('registry').replaceChildren(...table(t('exposed'),r.exposed),...table(t('queues'),r.queues),...table(t('consumed'),r.consumed));}
translate();
fetch('/ops/api/session').then(async r=>{if(r.ok){me=await r.json();start();}else showSignin();});
</script>
</body>
</html>
""";
}
