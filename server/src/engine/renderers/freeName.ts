/** Naming a resource a fix adds: the first name of a numbered series that no resource of the file or module has. */

/** How many numbered names a companion tries after the first (`…2` … `…9`). */
const MAX_NAME_TRIES = 9;

/**
 * The first of `name`, `name{separator}2`, … `name{separator}9` that is not taken; undefined when all are
 * (Terraform writes `orders_2`, CloudFormation `OrdersKey2`).
 */
export function freeName(name: string, separator: string, isTaken: (name: string) => boolean): string | undefined {
  for (let n = 1; n <= MAX_NAME_TRIES; n++) {
    const candidate = n === 1 ? name : `${name}${separator}${n}`;
    if (!isTaken(candidate)) {
      return candidate;
    }
  }
  return undefined;
}
