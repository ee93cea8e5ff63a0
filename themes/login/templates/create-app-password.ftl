<#--
  Page of the required action "create-app-password" (dev.apppasswords.requiredaction).
  It extends whatever login theme the realm uses: template.ftl below is the active theme's layout.
  Every value from the server is HTML-escaped by FreeMarker's auto-escaping (Keycloak enables it).
  States (appPassword.state): create | created | limit | disabled.
-->
<#import "template.ftl" as layout>
<#assign btn = properties.kcButtonClass!>
<#assign btnPrimary = "${btn} ${properties.kcButtonPrimaryClass!}">
<#assign btnSecondary = "${btn} ${properties.kcButtonSecondaryClass!properties.kcButtonDefaultClass!}">
<#assign btnLink = properties.kcButtonLinkClass!btnSecondary>
<@layout.registrationLayout displayMessage=true; section>
<!-- template: create-app-password.ftl -->
<#if section = "header">
    <#if appPassword.state == "created">
        ${msg("appPasswordCreatedTitle")}
    <#elseif appPassword.state == "limit">
        ${msg("appPasswordLimitTitle")}
    <#elseif appPassword.state == "disabled">
        ${msg("appPasswordDisabledTitle")}
    <#else>
        ${msg("appPasswordCreateTitle")}
    </#if>
<#elseif section = "form">
<style>
    #app-password-page .app-password-value { font-family: monospace; font-size: 1.6rem; letter-spacing: .08em; word-spacing: .4em;
        padding: .75rem 1rem; margin: .5rem 0 1rem; border: 1px solid #d2d2d2; border-radius: 4px; background: #f5f5f5; user-select: all; }
    #app-password-page .app-password-list { width: 100%; border-collapse: collapse; margin: .5rem 0 1rem; }
    #app-password-page .app-password-list th, #app-password-page .app-password-list td { text-align: left; padding: .4rem .3rem; border-bottom: 1px solid #d2d2d2; vertical-align: middle; }
    #app-password-page .app-password-list form { margin: 0; }
    #app-password-page .app-password-actions { display: flex; gap: .75rem; flex-wrap: wrap; margin-top: 1rem; }
    #app-password-page p { margin-bottom: .75rem; }
</style>
<div id="app-password-page" data-state="${appPassword.state}">
<#list appPassword.staleDevices as device>
    <p class="app-password-stale ${properties.kcAlertClass!} ${properties.kcAlertWarningClass!}">${msg("appPasswordStaleDevice", device.name, device.lastTried)}</p>
</#list>
<#if appPassword.state == "create">
    <p id="app-password-intro">${msg("appPasswordCreateIntro")}</p>
    <form id="kc-app-password-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
        <div class="${properties.kcFormGroupClass!}">
            <label for="deviceName" class="${properties.kcLabelClass!}">${msg("appPasswordDeviceName")}</label>
            <input type="text" id="deviceName" name="deviceName" class="${properties.kcInputClass!}" maxlength="255" required autofocus
                   value="${(appPassword.typedName)!msg("appPasswordDefaultName", appPassword.defaultNumber)}"
                   aria-describedby="app-password-usage"/>
            <p id="app-password-usage" class="${properties.kcFormHelperTextClass!}">
                ${msg("appPasswordDeviceNameHelp")} <span id="app-password-count">${msg("appPasswordCount", appPassword.count, appPassword.max)}</span>
            </p>
        </div>
        <div class="${properties.kcFormGroupClass!}">
            <label for="expiresInDays" class="${properties.kcLabelClass!}">${msg("appPasswordExpiry")}</label>
            <select id="expiresInDays" name="expiresInDays" class="${properties.kcInputClass!}">
                <#list appPassword.expiryChoices as days>
                    <option value="${days}"<#if days == appPassword.expiryDefault> selected</#if>><#if days == "">${msg("appPasswordExpiryNever")}<#else>${msg("appPasswordExpiryDays", days)}</#if></option>
                </#list>
            </select>
        </div>
        <div class="app-password-actions">
            <button type="submit" id="kc-app-password-create" class="${btnPrimary}" name="action" value="create">${msg("appPasswordCreate")}</button>
            <#if isAppInitiatedAction??>
                <button type="submit" id="kc-app-password-cancel" class="${btnSecondary}" name="cancel-aia" value="true" formnovalidate>${msg("doCancel")}</button>
            <#elseif appPassword.offered>
                <button type="submit" id="kc-app-password-skip" class="${btnSecondary}" name="action" value="continue" formnovalidate>${msg("appPasswordNotNow")}</button>
            </#if>
        </div>
    </form>
<#elseif appPassword.state == "created">
    <p>${msg("appPasswordCreatedFor")} <strong id="app-password-name">${appPassword.createdName}</strong></p>
    <div id="app-password-value" class="app-password-value" aria-label="${msg("appPasswordValueLabel")}"><#list appPassword.passwordGroups as group><span class="app-password-group">${group}</span><#sep> </#list></div>
    <p><button type="button" id="kc-app-password-copy" class="${btnSecondary}" data-copied="${msg("appPasswordCopied")}">${msg("appPasswordCopy")}</button></p>
    <p id="app-password-where">${msg("appPasswordWhereToUse")}</p>
    <p id="app-password-once"><strong>${msg("appPasswordShownOnce")}</strong></p>
    <form action="${url.loginAction}" method="post">
        <div class="app-password-actions">
            <button type="submit" id="kc-app-password-done" class="${btnPrimary}" name="action" value="continue">${msg("appPasswordDone")}</button>
        </div>
    </form>
    <script>
        <#outputformat "JavaScript">
        (function () {
            var button = document.getElementById("kc-app-password-copy");
            button.addEventListener("click", function () {
                var text = document.getElementById("app-password-value").textContent.trim();
                var done = function () { button.textContent = button.getAttribute("data-copied"); };
                if (navigator.clipboard && window.isSecureContext) {
                    navigator.clipboard.writeText(text).then(done);
                } else {
                    var area = document.createElement("textarea");
                    area.value = text;
                    document.body.appendChild(area);
                    area.select();
                    document.execCommand("copy");
                    document.body.removeChild(area);
                    done();
                }
            });
        })();
        </#outputformat>
    </script>
<#elseif appPassword.state == "limit">
    <p id="app-password-limit">${msg("appPasswordLimitText", appPassword.count, appPassword.max)}</p>
    <table id="app-password-list" class="app-password-list">
        <thead><tr><th>${msg("appPasswordColumnName")}</th><th>${msg("appPasswordColumnCreated")}</th><th>${msg("appPasswordColumnLastUsed")}</th><th></th></tr></thead>
        <tbody>
        <#list appPassword.existing as p>
            <tr>
                <td class="app-password-row-name">${p.name}</td>
                <td><time class="app-password-time" datetime="${p.createdIso}">${p.created}</time></td>
                <td><#if p.lastUsed?has_content><time class="app-password-time" datetime="${p.lastUsedIso}">${p.lastUsed}</time><#else>${msg("appPasswordNeverUsed")}</#if></td>
                <td>
                    <form action="${url.loginAction}" method="post">
                        <input type="hidden" name="action" value="delete"/>
                        <input type="hidden" name="credentialId" value="${p.id}"/>
                        <button type="submit" class="${btnLink} app-password-delete" aria-label="${msg("appPasswordDeleteNamed", p.name)}">${msg("appPasswordDelete")}</button>
                    </form>
                </td>
            </tr>
        </#list>
        </tbody>
    </table>
    <script>
        <#outputformat "JavaScript">
        (function () {
            // Dates in the user's own time zone and language; the server-rendered UTC text stays if this fails.
            var lang = document.documentElement.lang || undefined;
            document.querySelectorAll("time.app-password-time").forEach(function (time) {
                var date = new Date(time.getAttribute("datetime"));
                if (!isNaN(date)) {
                    time.title = time.textContent;
                    time.textContent = date.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
                }
            });
        })();
        </#outputformat>
    </script>
    <form action="${url.loginAction}" method="post">
        <div class="app-password-actions">
            <button type="submit" id="kc-app-password-continue" class="${btnPrimary}" name="action" value="continue">${msg("appPasswordContinue")}</button>
        </div>
    </form>
<#else>
    <p id="app-password-disabled"><#if appPassword.refusal??>${appPassword.refusal}<#else>${msg("appPasswordDisabledText")}</#if></p>
    <form action="${url.loginAction}" method="post">
        <div class="app-password-actions">
            <button type="submit" id="kc-app-password-continue" class="${btnPrimary}" name="action" value="continue">${msg("appPasswordContinue")}</button>
        </div>
    </form>
</#if>
</div>
</#if>
</@layout.registrationLayout>
