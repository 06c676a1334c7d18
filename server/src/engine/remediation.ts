/**
 * Where a reader of one language starts a rule's remediation. A rule writes one remediation for all its languages,
 * often the Terraform advice first and then "In CloudFormation, …" or "In Bicep, …"; a one-line hint for a
 * CloudFormation or Bicep finding should not be advice about Terraform resources.
 */
import type { Format } from '../model/types';

/** Words that tie a sentence to one language: its name, or the way its resource types are spelled. */
const LANGUAGE_MARKS: Record<Format, RegExp> = {
  terraform: /\bTerraform\b|\bazurerm\b|\b(aws|azurerm|google)_[a-z0-9_]+/,
  cloudformation: /\bCloudFormation\b|\bSAM\b|\bAWS::[A-Za-z0-9]+::/,
  bicep: /\bBicep\b|\bARM\b|\bMicrosoft\.[A-Za-z]+\/[A-Za-z]/,
};

/** The sentences of a text: a stop followed by a space or the end ends one, so "TLS 1.0" does not. */
export function sentencesOf(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  return (flat.match(/.+?[.!?]+(?=\s|$)|.+$/g) ?? []).map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * The remediation as read from the sentence a reader of `format` should start at: the first sentence, unless it
 * speaks only of another language (a Terraform resource for a CloudFormation finding); then the first sentence that
 * names `format`, or else the first that names no language. Later sentences often lean on earlier ones ("the same
 * applies to …"), so a first sentence that names no language is kept.
 */
export function remediationFor(remediation: string, format: Format): string[] {
  const sentences = sentencesOf(remediation);
  const others = (Object.keys(LANGUAGE_MARKS) as Format[]).filter((f) => f !== format).map((f) => LANGUAGE_MARKS[f]);
  const rank = (sentence: string): number => {
    if (LANGUAGE_MARKS[format].test(sentence)) {
      return 0;
    }
    return others.some((mark) => mark.test(sentence)) ? 2 : 1;
  };
  if (sentences.length === 0 || rank(sentences[0]!) < 2) {
    return sentences;
  }
  const own = sentences.findIndex((sentence) => rank(sentence) === 0);
  const start = own >= 0 ? own : sentences.findIndex((sentence) => rank(sentence) === 1);
  return start >= 0 ? sentences.slice(start) : sentences;
}
