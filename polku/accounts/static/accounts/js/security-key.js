// Adds a security key (mode "add") or signs in with one (mode "verify") through the
// browser's WebAuthn API. Settings and translated messages come from the JSON element
// #security-key-config, so the page needs no inline script. Errors are shown in a GOV.UK
// error summary, which takes the focus.

const config = JSON.parse(document.getElementById("security-key-config").textContent);
const form = document.getElementById("security-key-form");
const errors = document.getElementById("security-key-errors");
const status = document.getElementById("security-key-status");
const button = form.querySelector("button[type=submit]");
const title = document.title;

function fromBase64url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0)).buffer;
}

function toBase64url(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (const byte of bytes) {
    text += String.fromCharCode(byte);
  }
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function creationOptions(options) {
  return {
    ...options,
    challenge: fromBase64url(options.challenge),
    user: { ...options.user, id: fromBase64url(options.user.id) },
    excludeCredentials: (options.excludeCredentials || []).map((credential) => ({
      ...credential,
      id: fromBase64url(credential.id),
    })),
  };
}

function requestOptions(options) {
  return {
    ...options,
    challenge: fromBase64url(options.challenge),
    allowCredentials: (options.allowCredentials || []).map((credential) => ({
      ...credential,
      id: fromBase64url(credential.id),
    })),
  };
}

function registrationJSON(credential) {
  const response = credential.response;
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    response: {
      attestationObject: toBase64url(response.attestationObject),
      clientDataJSON: toBase64url(response.clientDataJSON),
      transports: typeof response.getTransports === "function" ? response.getTransports() : [],
    },
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
  };
}

function authenticationJSON(credential) {
  const response = credential.response;
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    response: {
      authenticatorData: toBase64url(response.authenticatorData),
      clientDataJSON: toBase64url(response.clientDataJSON),
      signature: toBase64url(response.signature),
      userHandle: response.userHandle ? toBase64url(response.userHandle) : undefined,
    },
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
  };
}

function clearErrors() {
  errors.replaceChildren();
  document.title = title;
  for (const group of form.querySelectorAll(".govuk-form-group--error")) {
    group.classList.remove("govuk-form-group--error");
  }
  for (const message of form.querySelectorAll(".govuk-error-message")) {
    const input = document.getElementById(message.id.replace(/-error$/, ""));
    if (input) {
      input.classList.remove("govuk-input--error");
      const described = (input.getAttribute("aria-describedby") || "")
        .split(" ")
        .filter((id) => id && id !== message.id);
      if (described.length) {
        input.setAttribute("aria-describedby", described.join(" "));
      } else {
        input.removeAttribute("aria-describedby");
      }
    }
    message.remove();
  }
}

// Each error is {message} or {field, message}; a field error is also shown at its field.
function showErrors(list) {
  clearErrors();
  const summary = document.createElement("div");
  summary.className = "govuk-error-summary";
  const alert = document.createElement("div");
  alert.setAttribute("role", "alert");
  const heading = document.createElement("h2");
  heading.className = "govuk-error-summary__title";
  heading.textContent = config.messages.title;
  const body = document.createElement("div");
  body.className = "govuk-error-summary__body";
  const items = document.createElement("ul");
  items.className = "govuk-list govuk-error-summary__list";
  for (const error of list) {
    const item = document.createElement("li");
    const input = error.field ? form.querySelector(`[name$="${error.field}"]`) : null;
    if (input) {
      const link = document.createElement("a");
      link.href = `#${input.id}`;
      link.textContent = error.message;
      item.append(link);
      const message = document.createElement("p");
      message.id = `${input.id}-error`;
      message.className = "govuk-error-message";
      const hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      hidden.textContent = config.messages.errorPrefix;
      message.append(hidden, ` ${error.message}`);
      input.before(message);
      input.classList.add("govuk-input--error");
      input.closest(".govuk-form-group")?.classList.add("govuk-form-group--error");
      const described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", described ? `${described} ${message.id}` : message.id);
    } else {
      item.textContent = error.message;
    }
    items.append(item);
  }
  body.append(items);
  alert.append(heading, body);
  summary.append(alert);
  summary.tabIndex = -1;
  errors.append(summary);
  document.title = `${config.messages.errorPrefix} ${title}`;
  summary.focus();
}

function browserMessage(error) {
  switch (error && error.name) {
    case "InvalidStateError":
      return config.mode === "add" ? config.messages.alreadyAdded : config.messages.failed;
    case "NotAllowedError":
    case "AbortError":
      return config.messages.notAllowed;
    case "SecurityError":
      return config.messages.refused;
    case "NotSupportedError":
      return config.messages.unsupported;
    default:
      return config.messages.failed;
  }
}

async function post(url, body, json) {
  const headers = {
    Accept: "application/json",
    "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value,
  };
  if (json) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers,
    body: json ? JSON.stringify(body) : body,
  });
  const isJSON = (response.headers.get("content-type") || "").includes("application/json");
  if (response.redirected || (!isJSON && response.ok)) {
    // Not an answer from the security-key endpoint: most likely the session ended (signed
    // out after being idle) and the sign-in page came back instead. Go there.
    window.location.assign(response.url);
    return { ok: false, leaving: true, data: {} };
  }
  const data = isJSON ? await response.json() : {};
  return { ok: response.ok, leaving: false, data };
}

function completeUrl() {
  const next = form.querySelector("input[name=next]");
  if (!next || !next.value) {
    return config.completeUrl;
  }
  return `${config.completeUrl}?${new URLSearchParams({ next: next.value })}`;
}

async function useKey() {
  const begin = await post(config.beginUrl, new FormData(form), false);
  if (begin.leaving) {
    return;
  }
  if (!begin.ok) {
    showErrors(begin.data.errors || [{ message: config.messages.failed }]);
    return;
  }
  let credential;
  status.textContent = config.messages.waiting;
  try {
    if (config.mode === "add") {
      credential = registrationJSON(
        await navigator.credentials.create({ publicKey: creationOptions(begin.data) }),
      );
    } else {
      credential = authenticationJSON(
        await navigator.credentials.get({ publicKey: requestOptions(begin.data) }),
      );
    }
  } catch (error) {
    showErrors([{ message: browserMessage(error) }]);
    return;
  } finally {
    status.textContent = "";
  }
  const complete = await post(completeUrl(), credential, true);
  if (complete.leaving) {
    return;
  }
  if (!complete.ok || !complete.data.redirect_url) {
    // Polku's own refusals (a key registered already, too many tries) come with a message.
    showErrors(complete.data.errors || [{ message: config.messages.failed }]);
    return;
  }
  window.location.assign(complete.data.redirect_url);
}

const notes = document.querySelectorAll("[data-security-key-nojs]");
if (!window.PublicKeyCredential) {
  // The form stays hidden; the note that stood for "no JavaScript" says why instead.
  for (const note of notes) {
    note.textContent = config.messages.unsupported;
  }
} else {
  form.hidden = false;
  for (const note of notes) {
    note.hidden = true;
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) {
      return;
    }
    button.disabled = true;
    try {
      await useKey();
    } catch {
      status.textContent = "";
      showErrors([{ message: config.messages.failed }]);
    } finally {
      button.disabled = false;
    }
  });
}
