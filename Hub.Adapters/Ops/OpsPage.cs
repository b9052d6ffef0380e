namespace Hub.Adapters.Ops;

/// <summary>The operations page: search a flow by business key, see its conversation in order.</summary>
internal static class OpsPage
{
    public const string Html = """
<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>CRM Hub · 运维 Operations</title>
<style>
 body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5rem;color:#1d2733}
 h1{font-size:1.3rem} table{border-collapse:collapse;width:100%;font-size:.85rem}
 th,td{border-bottom:1px solid #dde3ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
 tr.faulted{background:#fdecec} input,select,button{font:inherit;padding:.25rem .5rem}
 .muted{color:#6b7785}
</style>
</head>
<body>
<h1>消息流 Message flows</h1>
<form id="search">
 <label>业务键 Business key <input name="key" placeholder="SO… / customer code / ERP document"></label>
 <label>结果 Outcome <select name="outcome"><option value="">全部 all</option><option>consumed</option><option>faulted</option></select></label>
 <button>查找 Search</button>
</form>
<p class="muted" id="status"></p>
<table><thead><tr><th>#</th><th>时间 Time</th><th>类型 Type</th><th>来源 → 端点 Source → Endpoint</th><th>ms</th><th>结果 Outcome</th><th>会话 Conversation</th></tr></thead>
<tbody id="rows"></tbody></table>
<script>
const rows=document.getElementById('rows'), status=document.getElementById('status');
function render(list){
  rows.innerHTML='';
  for(const m of list){
    const tr=document.createElement('tr'); if(m.outcome==='faulted') tr.className='faulted';
    const cells=[m.id,new Date(m.processedAt).toLocaleString(),m.messageType,(m.source||'?')+' → '+m.endpoint,m.processingMs.toFixed(1),m.outcome+(m.error?': '+m.error:''),''];
    for(const c of cells){const td=document.createElement('td'); td.textContent=c; tr.appendChild(td);}
    if(m.conversationId){const a=document.createElement('a'); a.href='#'; a.textContent=m.conversationId.slice(0,8); a.onclick=e=>{e.preventDefault();conversation(m.conversationId)}; tr.lastChild.appendChild(a);}
    rows.appendChild(tr);
  }
  status.textContent=list.length+' 条消息 messages';
}
async function load(url){const r=await fetch(url); if(!r.ok){status.textContent=r.status+' '+r.statusText; rows.innerHTML=''; return;} render(await r.json());}
function conversation(id){load('/ops/api/conversations/'+id);}
document.getElementById('search').onsubmit=e=>{e.preventDefault(); const p=new URLSearchParams(new FormData(e.target)); load('/ops/api/messages?'+p);};
load('/ops/api/messages?limit=50');
</script>
</body>
</html>
""";
}
